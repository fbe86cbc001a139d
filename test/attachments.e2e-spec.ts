import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import { ofd, ooxml, pdf, png } from '../libs/attachments/src/spec-files.js';
import type { Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import { type RunningApp, runBuilt, type TestEnv } from './support/test-env.js';

const MiB = 1024 * 1024;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A file as a test sends it: the name and Content-Type the client claims, and the bytes. */
interface Sent {
  name: string;
  bytes: Buffer;
  claimed?: string;
  field?: string;
}

describe('evidence files on tasks (issue 16.5)', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;
  /** A plan item led by O1; another co-owned by O2. */
  let task: string;
  let coOwned: string;
  const uploaded: Record<string, { id: string; bytes: Buffer }> = {};

  const http = () => request(api.url);
  const upload = (who: string, taskId: string, files: Sent[]) => {
    let req = http().post(`/api/v1/tasks/${taskId}/attachments`).set('Authorization', who);
    for (const f of files) req = req.attach(f.field ?? 'files', f.bytes, { filename: f.name, contentType: f.claimed ?? 'application/octet-stream' });
    return req;
  };
  /** GET /attachments/:id as bytes, whatever the type, expecting `status`. */
  const download = async (who: string, id: string, status = 200) => {
    const res = await fetch(`${api.url}/api/v1/attachments/${id}`, { headers: { Authorization: who } });
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(status);
    return { header: (name: string) => res.headers.get(name), body };
  };
  const stored = async () =>
    (
      await db.query<{ rows: number; blobs: number; entries: number }>(
        `SELECT (SELECT count(*) FROM attachments)::int AS rows, (SELECT count(*) FROM attachment_blobs)::int AS blobs,
                (SELECT count(*) FROM audit_entries)::int AS entries`,
      )
    ).rows[0]!;
  const createTask = async (title: string, extra: object = {}) => {
    const res = await http()
      .post('/api/v1/tasks')
      .set('Authorization', org.token.supervisor)
      .send({ workflow: 'plan-item', title, leadDepartmentIds: [org.dept.O1], ...extra })
      .expect(201);
    return res.body.id as string;
  };

  beforeAll(async () => {
    ({ testEnv, api, org, db } = await startStack());
    task = await createTask('推进政务数据共享');
    coOwned = await createTask('一网通办', { coDepartmentIds: [org.dept.O2] });
  });

  afterAll(() => stopStack({ testEnv, api, db }));

  it('keeps PDF, PNG, DOCX, text and OFD uploaded together, typed by their content whatever their names and claimed types', async () => {
    const files: Sent[] = [
      { name: '整改报告.pdf', bytes: pdf('report'), claimed: 'application/pdf' },
      { name: 'photo.txt', bytes: png(), claimed: 'text/plain' },
      { name: '会办意见.docx', bytes: ooxml('word') },
      { name: '说明.txt', bytes: Buffer.from('一、已完成数据目录梳理。\n二、下月上线。\n'), claimed: 'text/plain' },
      { name: '答复函.ofd', bytes: ofd() },
    ];
    const res = await upload(org.token.lead, task, files).expect(201);
    expect(res.body.items.map((i: { filename: string; contentType: string }) => [i.filename, i.contentType])).toEqual([
      ['整改报告.pdf', 'application/pdf'],
      ['photo.txt', 'image/png'],
      ['会办意见.docx', DOCX],
      ['说明.txt', 'text/plain; charset=utf-8'],
      ['答复函.ofd', 'application/ofd'],
    ]);
    res.body.items.forEach((item: Record<string, unknown>, i: number) => {
      expect(item).toEqual({
        id: expect.any(String),
        taskId: task,
        filename: files[i]!.name,
        name: files[i]!.name,
        contentType: expect.any(String),
        size: files[i]!.bytes.length,
        sha256: sha256(files[i]!.bytes),
        uploadedBy: org.userId.lead,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      });
      uploaded[files[i]!.name] = { id: item.id as string, bytes: files[i]!.bytes };
    });
    const list = await http().get(`/api/v1/tasks/${task}/attachments`).set('Authorization', org.token.handler).expect(200);
    expect(list.body.total).toBe(5);
    expect(list.body.items).toEqual(res.body.items);
    const page = await http().get(`/api/v1/tasks/${task}/attachments?page=2&limit=2`).set('Authorization', org.token.handler).expect(200);
    expect(page.body).toEqual({ items: res.body.items.slice(2, 4), total: 5 });
  });

  it('downloads each file as its bytes, with its type, as an attachment named in RFC 8187 form, never sniffed', async () => {
    const res = await download(org.token.supervisor, uploaded['整改报告.pdf']!.id);
    expect(res.body).toEqual(uploaded['整改报告.pdf']!.bytes);
    expect(res.header('content-type')).toBe('application/pdf');
    expect(res.header('content-length')).toBe(String(uploaded['整改报告.pdf']!.bytes.length));
    expect(res.header('x-content-type-options')).toBe('nosniff');
    expect(res.header('content-disposition')).toBe(`attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('整改报告')}.pdf`);
    const text = await download(org.token.lead, uploaded['说明.txt']!.id);
    expect(text.header('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.body.toString('utf8')).toBe('一、已完成数据目录梳理。\n二、下月上线。\n');
    for (const name of ['photo.txt', '会办意见.docx', '答复函.ofd'])
      expect((await download(org.token.handler, uploaded[name]!.id)).body).toEqual(uploaded[name]!.bytes);
  });

  it('records the upload as one entry of the task’s audit chain, with each file’s id, name, size and SHA-256', async () => {
    const trail = (await http().get(`/api/v1/tasks/${task}/audit`).set('Authorization', org.token.lead).expect(200)).body;
    const entry = trail.at(-1);
    expect(entry).toMatchObject({ seq: 2, action: 'attach', fromState: 'assigned', toState: 'assigned', actorId: org.userId.lead, actorRole: 'owner' });
    expect(entry.data.files).toHaveLength(5);
    expect(entry.data.files[0]).toEqual({
      id: uploaded['整改报告.pdf']!.id,
      filename: '整改报告.pdf',
      contentType: 'application/pdf',
      size: uploaded['整改报告.pdf']!.bytes.length,
      sha256: sha256(uploaded['整改报告.pdf']!.bytes),
    });
    await http().get(`/api/v1/tasks/${task}/audit/verify`).set('Authorization', org.token.lead).expect(200, { valid: true, entries: 2 });
    // A file changes nothing a client acts on: the task's version stays.
    expect((await http().get(`/api/v1/tasks/${task}`).set('Authorization', org.token.lead).expect(200)).body.version).toBe(1);
  });

  describe('who may attach and read: the task’s scope', () => {
    it('lets the lead and handler of the task’s department, its supervisor, an admin and a co-unit attach, list and download', async () => {
      for (const who of ['lead', 'handler', 'supervisor', 'admin'] as const) {
        const res = await upload(org.token[who], task, [{ name: `${who}.png`, bytes: png() }]).expect(201);
        expect(res.body.items[0].uploadedBy).toEqual(who === 'admin' ? expect.any(String) : org.userId[who]);
        await http().get(`/api/v1/tasks/${task}/attachments`).set('Authorization', org.token[who]).expect(200);
        await download(org.token[who], uploaded['整改报告.pdf']!.id);
      }
      const co = await upload(org.token.lead2, coOwned, [{ name: '会办意见.pdf', bytes: pdf('co') }]).expect(201);
      await download(org.token.lead, co.body.items[0].id);
    });

    it('answers 404 to an outsider, a lead of another department and another supervisor, and stores nothing', async () => {
      const before = await stored();
      for (const who of ['outsider', 'lead2', 'supervisor2'] as const) {
        const res = await upload(org.token[who], task, [{ name: 'x.png', bytes: png() }]).expect(404);
        expect(res.body.type).toBe('urn:duban:problem:task-not-found');
        await http().get(`/api/v1/tasks/${task}/attachments`).set('Authorization', org.token[who]).expect(404);
        const file = await download(org.token[who], uploaded['整改报告.pdf']!.id, 404);
        expect(JSON.parse(file.body.toString())).toMatchObject({ type: 'urn:duban:problem:attachment-not-found', status: 404 });
      }
      expect(await stored()).toEqual(before);
    });
  });

  describe('bad input: a 4xx problem, and nothing stored', () => {
    let before: Awaited<ReturnType<typeof stored>>;
    const refused = async (res: request.Response, status: number, slug: string) => {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe(`urn:duban:problem:${slug}`);
      expect(await stored()).toEqual(before);
      return res.body as { detail: string; errors?: { path: string; message: string }[] };
    };

    beforeAll(async () => {
      before = await stored();
    });

    it('no files: 400 naming files, for a multipart body without one and for JSON', async () => {
      const body = await refused(
        await http().post(`/api/v1/tasks/${task}/attachments`).set('Authorization', org.token.lead).field('note', '无附件'),
        400,
        'attachments-missing',
      );
      expect(body.errors).toEqual([{ path: 'files', message: expect.stringContaining('没有收到文件') }]);
      await refused(
        await http().post(`/api/v1/tasks/${task}/attachments`).set('Authorization', org.token.lead).send({ files: [] }),
        400,
        'attachments-missing',
      );
    });

    it('an empty file beside a good one: 400 naming the empty one', async () => {
      const res = await upload(org.token.lead, task, [
        { name: '报告.pdf', bytes: pdf() },
        { name: '空白.txt', bytes: Buffer.alloc(0) },
      ]);
      const body = await refused(res, 400, 'attachment-empty');
      expect(body.errors).toEqual([{ path: 'files[1]', message: expect.stringContaining('文件「空白.txt」是空的') }]);
    });

    it('one byte over 20 MiB: 413; exactly 20 MiB is kept', async () => {
      const body = await refused(
        await upload(org.token.lead, task, [{ name: '扫描件.txt', bytes: Buffer.alloc(20 * MiB + 1, 0x61) }]),
        413,
        'attachment-too-large',
      );
      expect(body.detail).toContain('超过 20 MB');
      const res = await upload(org.token.lead, task, [{ name: '扫描件.txt', bytes: Buffer.alloc(20 * MiB, 0x61) }]).expect(201);
      expect(res.body.items[0].size).toBe(20 * MiB);
      before = await stored();
    });

    it('a program called report.pdf, a zip called .ofd, GBK text: 415 naming the file and what its content is', async () => {
      const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]);
      const body = await refused(
        await upload(org.token.lead, task, [{ name: 'report.pdf', bytes: exe, claimed: 'application/pdf' }]),
        415,
        'attachment-type-refused',
      );
      expect(body.errors).toEqual([
        { path: 'files[0]', message: expect.stringMatching(/^文件「report\.pdf」的类型不被接受（内容识别为 application\/x-msdownload）/) },
      ]);
      // OFD.xml in a folder, not at the root: a plain zip.
      await refused(await upload(org.token.lead, task, [{ name: '答复函.ofd', bytes: ofd('Doc_0/OFD.xml') }]), 415, 'attachment-type-refused');
      await refused(await upload(org.token.lead, task, [{ name: '说明.txt', bytes: Buffer.from([0xd5, 0xfb, 0xb8, 0xc4]) }]), 415, 'attachment-type-refused');
    });

    it('an unknown task: 404; an id that is not a UUID: 400', async () => {
      await refused(await upload(org.token.admin, randomUUID(), [{ name: 'a.png', bytes: png() }]), 404, 'task-not-found');
      await refused(await upload(org.token.admin, 'DB-1', [{ name: 'a.png', bytes: png() }]), 400, 'validation');
      await refused(await http().get(`/api/v1/attachments/${randomUUID()}`).set('Authorization', org.token.admin), 404, 'attachment-not-found');
    });

    it('another file field, or eleven files: 400 naming the field', async () => {
      const body = await refused(await upload(org.token.lead, task, [{ name: 'a.png', bytes: png(), field: 'photo' }]), 400, 'malformed-upload');
      expect(body.errors?.[0]?.path).toBe('photo');
      const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `${i}.png`, bytes: png() }));
      await refused(await upload(org.token.lead, task, eleven), 400, 'malformed-upload');
    });
  });

  it('lets an action carry files of its own task into its audit entry, and refuses those of another task', async () => {
    const photo = uploaded['photo.txt']!.id;
    const other = (await upload(org.token.lead, coOwned, [{ name: 'other.png', bytes: png() }]).expect(201)).body.items[0].id;
    await http().post(`/api/v1/tasks/${task}/actions`).set('Authorization', org.token.lead).send({ action: 'accept' }).expect(200);
    const act = (attachmentIds: string[]) =>
      http().post(`/api/v1/tasks/${task}/actions`).set('Authorization', org.token.lead).send({ action: 'report', progress: 40, attachmentIds });
    const refused = await act([photo, other]).expect(400);
    expect(refused.body.errors).toEqual([{ path: 'attachmentIds', message: expect.stringContaining(other) }]);
    expect((await act(['not-a-uuid']).expect(400)).body.errors.map((e: { path: string }) => e.path)).toEqual(['attachmentIds']);
    await act([photo, photo]).expect(200);
    const trail = (await http().get(`/api/v1/tasks/${task}/audit`).set('Authorization', org.token.lead).expect(200)).body;
    expect(trail.at(-1)).toMatchObject({ action: 'report', data: { progress: 40, attachmentIds: [photo] } });
  });

  it('verify, and the audit:verify command, report a file whose bytes were altered after the fact, at the entry that added it', async () => {
    const verify = (taskId: string) => http().get(`/api/v1/tasks/${taskId}/audit/verify`).set('Authorization', org.token.lead).expect(200);
    const verifyCli = () => runBuilt('apps/cli/src/audit-verify.js', { DATABASE_URL: testEnv.databaseUrl });
    expect((await verify(task)).body).toMatchObject({ valid: true });
    const clean = await verifyCli();
    expect(clean.stdout).toMatch(/audit:verify: \d+ file\(s\) checked; 0 not as audited/);
    expect(clean.code).toBe(0);
    const target = uploaded['答复函.ofd']!.id;
    await db.query(`UPDATE attachment_blobs SET content = $2 WHERE key = $1`, [target, ofd().subarray(0, -1)]);
    expect((await verify(task)).body).toEqual({
      valid: false,
      brokenAt: 2,
      attachments: [{ id: target, filename: '答复函.ofd', seq: 2, problem: 'altered' }],
    });
    expect((await verify(coOwned)).body).toMatchObject({ valid: true });
    const altered = await verifyCli();
    expect(altered.code).toBe(1);
    expect(altered.stdout).toContain('checked; 1 not as audited');
    expect(altered.stdout).toContain(`audit:verify: file ${target} "答复函.ofd" of task ${task} (seq 2): altered`);
  });

  it('describes the endpoints in the OpenAPI document, the upload as multipart', async () => {
    const doc = (await http().get('/api/docs-json').expect(200)).body;
    const post = doc.paths['/api/v1/tasks/{id}/attachments'].post;
    expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
    expect(post.requestBody.content['multipart/form-data'].schema.properties.files.items).toEqual({ type: 'string', format: 'binary' });
    expect(Object.keys(post.responses).sort()).toEqual(['201', '400', '401', '403', '404', '413', '415', 'default']);
    expect(doc.paths['/api/v1/tasks/{id}/attachments'].get.responses['200']).toBeDefined();
    expect(doc.paths['/api/v1/attachments/{id}'].get.responses['200'].content).toHaveProperty(['application/octet-stream']);
  });
});
