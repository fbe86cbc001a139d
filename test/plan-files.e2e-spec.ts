import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { ole, pdf, zip } from '../libs/attachments/src/spec-files.js';
import { planWordProse, planWordTable, planWorkbook } from '../libs/plans/src/spec-files.js';
import { startStack, type Stack, stopStack } from './support/stack.js';
import { runBuilt } from './support/test-env.js';

/**
 * Issue 19 point 1: plans uploaded as files (multipart `file`) on the same two endpoints as pasted
 * text, and the bad files refused with a Chinese problem and nothing written.
 */
describe('plans from files: .docx, .xlsx and .txt uploads to preview and import', () => {
  let stack: Stack;
  let admin: string;

  const post = (path: 'import/preview' | 'import', file: { bytes: Buffer; name: string }, fields: Record<string, string> = {}) => {
    let req = request(stack.api.url).post(`/api/v1/plans/${path}`).set('Authorization', admin);
    for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
    return req.attach('file', file.bytes, { filename: file.name, contentType: 'application/octet-stream' });
  };
  const written = async () =>
    (await stack.db.query<{ plans: number; tasks: number }>(`SELECT (SELECT count(*)::int FROM plans) AS plans, (SELECT count(*)::int FROM tasks) AS tasks`))
      .rows[0]!;
  const owners = (item: { owners: { name: string; role: string; departmentId: string | null }[] }) => item.owners.map((o) => `${o.name}:${o.role}`);

  beforeAll(async () => {
    stack = await startStack();
    admin = stack.org.token.admin;
    // The units the fixtures name, beside the fixture org's 市政务服务数据管理局 (alias 政数局).
    for (const [code, name] of [
      ['fg', '市发改局'],
      ['wj', '市卫健局'],
      ['dc', '市政府督查室'],
      ['rs', '市人社局'],
    ])
      await request(stack.api.url).post('/api/v1/departments').set('Authorization', admin).send({ code, name, kind: 'bureau' }).expect(201);
  }, 180_000);

  afterAll(async () => {
    await stopStack(stack);
  });

  it('previews a prose plan in Word (heading, numbered paragraphs), writing nothing; imports it once, keeping its text as the source', async () => {
    const file = { bytes: await planWordProse(), name: '分工方案.docx' };
    const before = await written();
    const preview = (await post('import/preview', file).expect(200)).body;
    expect(preview).toMatchObject({ title: '韶关市政务服务便民热线2024年工作任务分工方案', year: 2024, unresolved: [] });
    expect(preview.items.map(owners)).toEqual([['市政数局:lead', '市发改局:co', '市卫健局:co'], ['市政府督查室:lead']]);
    expect(await written()).toEqual(before);

    const created = await post('import', file, { year: '2024', workflow: 'plan-item' }).expect(201);
    expect(created.body.tasksCreated).toBe(2);
    const [{ source }] = (await stack.db.query(`SELECT source FROM plans WHERE id = $1`, [created.body.planId])).rows;
    expect(source.split('\n')[0]).toBe('韶关市政务服务便民热线2024年工作任务分工方案');
    expect(source).toContain('2．完善县区工单督办机制。（市政府督查室牵头）');
    await post('import', file).expect(200, { planId: created.body.planId, tasksCreated: 0 });
  });

  it('reads the items of an Excel 分解表 from its columns, a lead merged over two rows leading both, the title from the row above', async () => {
    const file = { bytes: await planWorkbook(), name: '任务分解表.xlsx' };
    const preview = (await post('import/preview', file).expect(200)).body;
    expect(preview).toMatchObject({ title: '韶关市政务服务便民热线2024年重点工作任务分解表', year: 2024, unresolved: [] });
    expect(preview.items.map((i: { title: string }) => i.title)).toEqual([
      expect.stringContaining('推动热线工单'),
      expect.stringContaining('完善工单督办机制'),
      expect.stringContaining('每季度通报'),
    ]);
    expect(preview.items.map(owners)).toEqual([
      ['市政数局:lead', '市发改局:co', '市卫健局:co'],
      ['市政数局:lead', '市政府督查室:co'],
      ['市政府督查室:lead', '市人社局:co'],
    ]);
    expect(preview.items[0].dueAt).toBe('2024-06-30T15:59:59.999Z');
    const created = await post('import', file).expect(201);
    expect(created.body.tasksCreated).toBe(3);
    const [{ source }] = (await stack.db.query(`SELECT source FROM plans WHERE id = $1`, [created.body.planId])).rows;
    expect(source).toContain('序号\t工作任务\t牵头单位\t配合单位\t完成时限');
  });

  it('reads a Word table with merged cells the same way', async () => {
    const preview = (await post('import/preview', { bytes: await planWordTable(), name: '分解表.docx' }).expect(200)).body;
    expect(preview.title).toBe('韶关市政务服务便民热线2024年重点工作任务分解表');
    expect(preview.items.map(owners)).toEqual([
      ['市政数局:lead', '市发改局:co', '市卫健局:co'],
      ['市政数局:lead', '市政府督查室:co'],
    ]);
  });

  it('reads a GBK .txt as Notepad saves it, and JSON text still works as before', async () => {
    const text = '某市2026年工作要点\n一、总体要求\n（一）建设城市大脑。（市政数局牵头）';
    // The same text's GBK bytes (Python's text.encode('gbk')).
    const gbk = Buffer.from(
      'c4b3cad032303236c4eab9a4d7f7d2aab5e30ad2bba1a2d7dccce5d2aac7f30aa3a8d2bba3a9bda8c9e8b3c7cad0b4f3c4d4a1a3a3a8cad0d5fecafdbed6c7a3cdb7a3a9',
      'hex',
    );
    const fromFile = (await post('import/preview', { bytes: gbk, name: '要点.txt' }).expect(200)).body;
    const fromJson = (await request(stack.api.url).post('/api/v1/plans/import/preview').set('Authorization', admin).send({ text }).expect(200)).body;
    expect(fromFile).toEqual(fromJson);
    expect(fromFile.items).toHaveLength(1);
  });

  describe('npm run import:plan -- file: the same reading and import from the command line', () => {
    let dir: string;
    const cli = (file: string, ...args: string[]) =>
      runBuilt('apps/cli/src/import-plan.js', { DATABASE_URL: stack.testEnv.databaseUrl }, 60_000, [join(dir, file), ...args]);

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'duban-plan-files-'));
      writeFileSync(join(dir, '分工方案.docx'), await planWordProse('韶关市政务服务便民热线2025年工作任务分工方案'));
      writeFileSync(join(dir, '方案.doc'), ole(['WordDocument', '1Table']));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('--dry-run prints the preview and writes nothing; without it the plan is imported once (exit 0)', async () => {
      const before = await written();
      const dry = await cli('分工方案.docx', '--dry-run');
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('标题：韶关市政务服务便民热线2025年工作任务分工方案');
      expect(dry.stdout).toContain('事项：2 项');
      expect(dry.stdout).toMatch(/2．\s*完善县区工单督办机制.* —— 市政府督查室/);
      expect(await written()).toEqual(before);

      const done = await cli('分工方案.docx', '--year', '2025', '--workflow', 'plan-item');
      expect(done.code).toBe(0);
      expect(done.stdout).toMatch(/已导入「分工方案\.docx」，创建 2 个任务/);
      expect((await written()).tasks).toBe(before.tasks + 2);
      const again = await cli('分工方案.docx');
      expect(again.stdout).toContain('该计划此前已导入，未重复创建任务');
    });

    it('a refused file exits 2 with the Chinese reason; a wrong use exits 1 with the usage', async () => {
      const before = await written();
      const refused = await cli('方案.doc');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('文件「方案.doc」是旧版 Word（.doc）文件；请在 Word / WPS 中另存为 .docx');
      const usage = await cli('分工方案.docx', '--year', '明年');
      expect(usage.code).toBe(1);
      expect(usage.stderr).toContain('用法 (usage): npm run import:plan');
      expect(await written()).toEqual(before);
    });
  });

  describe('bad files: a Chinese problem naming the file, nothing written', () => {
    const refused = async (res: request.Response, status: number, slug: string, before: { plans: number; tasks: number }) => {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe(`urn:duban:problem:${slug}`);
      expect(await written()).toEqual(before);
      return res.body as { detail: string; errors?: { path: string; message: string }[] };
    };

    it.each([
      ['an old Word .doc', ole(['WordDocument', '1Table']), '方案.doc', '请在 Word / WPS 中另存为 .docx'],
      ['an old Excel .xls', ole(['Workbook']), '分解表.xls', '另存为 .xlsx'],
      ['a PDF', pdf('plan'), '方案.pdf', '将表格文字复制后粘贴导入'],
      ['a PNG called .xlsx', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), '表.xlsx', '类型无法识别'],
    ])('%s: 415 plan-file-type saying what to do', async (_, bytes, name, advice) => {
      const before = await written();
      for (const path of ['import/preview', 'import'] as const) {
        const body = await refused(await post(path, { bytes, name }), 415, 'plan-file-type', before);
        expect(body.detail).toMatch(new RegExp(`^文件「${name.replace('.', '\\.')}」`));
        expect(body.detail).toContain(advice);
      }
    });

    it.each([
      ['a password-protected .xlsx', 'plan-file-encrypted', ole(['EncryptionInfo', 'EncryptedPackage']), '分解表.xlsx', '已加密，请去除密码后再导入'],
      ['an empty file', 'plan-file-empty', Buffer.alloc(0), '空.docx', '是空的'],
      ['a ZIP that is no document', 'plan-file-unreadable', zip({ 'a.txt': 'hello' }), '坏.docx', '无法读取'],
    ])('%s: 400 %s', async (_, slug, bytes, name, words) => {
      const before = await written();
      for (const path of ['import/preview', 'import'] as const) {
        const body = await refused(await post(path, { bytes, name }), 400, slug, before);
        expect(body.detail).toContain(`文件「${name}」`);
        expect(body.detail).toContain(words);
      }
    });

    it('a 50 MB upload: 413 plan-file-too-large once the limit is passed', async () => {
      const before = await written();
      const body = await refused(await post('import', { bytes: Buffer.alloc(50 * 1024 * 1024, 0x61), name: '大.txt' }), 413, 'plan-file-too-large', before);
      expect(body.detail).toContain('超过 10 MB 上限');
    });

    it('a document of no items, as a file or as text: 400 plan-no-items, and an import of it writes no plan', async () => {
      const before = await written();
      // A title is not a plan.
      const alone = Buffer.from('某市2024年工作任务分解表\n附件：无\n');
      for (const path of ['import/preview', 'import'] as const) {
        const body = await refused(await post(path, { bytes: alone, name: '空表.txt' }), 400, 'plan-no-items', before);
        expect(body.detail).toContain('文件「空表.txt」中未识别到任何条目');
        await refused(
          await request(stack.api.url).post(`/api/v1/plans/${path}`).set('Authorization', admin).send({ text: '某市2024年工作任务分解表\n附件：无' }),
          400,
          'plan-no-items',
          before,
        );
      }
    });

    it('a table with no recognisable task column: 400 plan-no-items saying so', async () => {
      const before = await written();
      const book = new ExcelJS.Workbook();
      book.addWorksheet('表').addRows([['某市2024年工作进展统计表'], ['序号', '单位', '进展情况'], [1, '市发改局', '已完成'], [2, '市卫健局', '推进中']]);
      const res = await post('import', { bytes: Buffer.from(await book.xlsx.writeBuffer()), name: '进展表.xlsx' });
      const body = await refused(res, 400, 'plan-no-items', before);
      expect(body.detail).toMatch(/^文件「进展表\.xlsx」中未识别到任何条目（表格没有可识别的任务列/);
    });

    it('multipart without a file, or with a bad year: 400 naming the field', async () => {
      const before = await written();
      const none = await refused(
        await request(stack.api.url).post('/api/v1/plans/import').set('Authorization', admin).field('year', '2024'),
        400,
        'validation',
        before,
      );
      expect(none.errors?.map((e) => e.path)).toEqual(['file']);
      const year = await refused(await post('import', { bytes: await planWordProse(), name: 'a.docx' }, { year: '明年' }), 400, 'validation', before);
      expect(year.errors?.map((e) => e.path)).toEqual(['year']);
    });

    it('only admins may upload', async () => {
      await request(stack.api.url)
        .post('/api/v1/plans/import/preview')
        .set('Authorization', stack.org.token.supervisor)
        .attach('file', await planWordProse(), '分工方案.docx')
        .expect(403);
    });
  });
});
