import { createHmac } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import type { Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import type { RunningApp, TestEnv } from './support/test-env.js';

/** An HS256 token signed with the api's own secret, carrying exactly these claims. */
function signedToken(secret: string, claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: 'duban', iat: now, exp: now + 600, ...claims })}`;
  return `Bearer ${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('input the api refuses with a 4xx naming the field, never a 500', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;

  const api_ = () => request(api.url);
  const titled = async (title: string) => (await db.query(`SELECT count(*)::int AS n FROM tasks WHERE title = $1`, [title])).rows[0].n as number;

  beforeAll(async () => {
    ({ testEnv, api, org, db } = await startStack());
  });

  afterAll(async () => {
    await stopStack({ testEnv, api, db });
  });

  describe('POST /tasks with a dueAt in the past', () => {
    it('is refused with 400 naming dueAt in Chinese first, and creates nothing', async () => {
      const dueAt = new Date(Date.now() - 60_000).toISOString();
      const res = await api_()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send({ workflow: 'hotline-ticket', title: '过期的新工单', leadDepartmentIds: [org.dept.O1], dueAt });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, type: 'urn:duban:problem:due-at-in-past' });
      expect(res.body.errors).toEqual([{ path: 'dueAt', message: expect.stringMatching(/^截止时间已过/) }]);
      expect(await titled('过期的新工单')).toBe(0);
    });

    it('still takes a dueAt ahead of now', async () => {
      const dueAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
      await api_()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send({ workflow: 'hotline-ticket', title: '三天后到期', leadDepartmentIds: [org.dept.O1], dueAt })
        .expect(201);
    });

    it('lets the history import keep past dates', async () => {
      const record = {
        workflow: 'hotline-ticket',
        title: '历史工单（过去的期限）',
        leadDepartmentIds: [org.dept.O1],
        createdAt: '2024-03-01T09:00:00+08:00',
        dueAt: '2024-03-08T17:30:00+08:00',
        closedAt: '2024-03-05T10:00:00+08:00',
        state: 'closed',
      };
      const res = await api_().post('/api/v1/tasks/import').set('Authorization', org.token.admin).send([record]).expect(200);
      expect(res.body).toMatchObject({ imported: 1, rejected: [] });
    });
  });

  describe("a dueAt past the calendar's range", () => {
    it('POST /tasks with a dueAt in year 9999: 400 naming dueAt, nothing created', async () => {
      const res = await api_()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send({ workflow: 'hotline-ticket', title: '九九九九年到期', leadDepartmentIds: [org.dept.O1], dueAt: '9999-12-31T17:30:00+08:00' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ type: 'urn:duban:problem:due-at-out-of-range' });
      expect(res.body.errors).toEqual([{ path: 'dueAt', message: expect.stringMatching(/^截止时间超出工作日历的范围/) }]);
      expect(await titled('九九九九年到期')).toBe(0);
    });

    it('an extension to year 9999: 400 naming dueAt, the task unchanged', async () => {
      const task = (
        await api_()
          .post('/api/v1/tasks')
          .set('Authorization', org.token.admin)
          .send({ workflow: 'hotline-ticket', title: '延期到九九九九年', leadDepartmentIds: [org.dept.O1] })
          .expect(201)
      ).body;
      await api_().post(`/api/v1/tasks/${task.id}/actions`).set('Authorization', org.token.lead).send({ action: 'accept' }).expect(200);
      const res = await api_()
        .post(`/api/v1/tasks/${task.id}/actions`)
        .set('Authorization', org.token.supervisor)
        .send({ action: 'extend', dueAt: '9999-12-31T17:30:00+08:00', comment: '需协调' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'dueAt', message: expect.any(String) }]);
      const after = (await api_().get(`/api/v1/tasks/${task.id}`).set('Authorization', org.token.admin).expect(200)).body;
      expect(after).toMatchObject({ state: 'processing', dueAt: task.dueAt, version: 2 });
    });

    it('GET /calendars/cn/add with 999999 working days: 400 naming duration; from year 9999: 400 naming from', async () => {
      const add = (from: string, duration: string) => api_().get('/api/v1/calendars/cn/add').query({ from, duration }).set('Authorization', org.token.admin);
      for (const duration of ['999999wd', '999999wh']) {
        const res = await add('2025-10-20T09:00:00+08:00', duration);
        expect({ duration, status: res.status, errors: res.body.errors }).toEqual({
          duration,
          status: 400,
          errors: [{ path: 'duration', message: expect.any(String) }],
        });
      }
      const far = await add('9999-01-01T09:00:00+08:00', '1wd');
      expect(far.status).toBe(400);
      expect(far.body.errors).toEqual([{ path: 'from', message: expect.any(String) }]);
    });
  });

  describe('POST /tasks/import: all or nothing, and a retry creates nothing twice', () => {
    /** 601 closed 2024 tickets without externalRef, told apart by their titles. */
    const history = (tag: string) =>
      Array.from({ length: 601 }, (_, i) => ({
        workflow: 'hotline-ticket',
        title: `${tag} #${String(i).padStart(3, '0')}`,
        leadDepartmentIds: [org.dept.O1],
        createdAt: new Date(Date.UTC(2024, 0, 2, 1) + i * 3_600_000).toISOString(),
        dueAt: new Date(Date.UTC(2024, 0, 9, 9) + i * 3_600_000).toISOString(),
        closedAt: new Date(Date.UTC(2024, 0, 4, 1) + i * 3_600_000).toISOString(),
        state: 'closed',
      }));
    const imported = async (tag: string) =>
      (await db.query(`SELECT count(*)::int AS n FROM tasks WHERE starts_with(title, $1)`, [`${tag} #`])).rows[0].n as number;
    const post = (body: unknown) =>
      api_()
        .post('/api/v1/tasks/import')
        .set('Authorization', org.token.admin)
        .send(body as object);

    it('a JSON array of 600 valid records and one bad one: 400 naming the bad one, nothing written; fixed: 601 in; again: 0 in, 601 skipped', async () => {
      const records = history('全有全无');
      const broken = records.map((r, i) => (i === 600 ? { ...r, state: 'archived', leadDepartmentIds: ['00000000-0000-4000-8000-000000000000'] } : r));
      const refused = await post(broken);
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body.type).toBe('urn:duban:problem:import-rejected');
      expect(refused.body.detail).toMatch(/^导入未执行/);
      expect(refused.body.rejected.map((r: { index: number }) => r.index)).toEqual([600]);
      const paths = refused.body.rejected[0].errors.map((e: { path: string }) => e.path);
      expect(paths).toContain('state');
      expect(paths.some((p: string) => p.startsWith('leadDepartmentIds'))).toBe(true);
      expect(refused.body.errors.map((e: { path: string }) => e.path)).toContain('[600].state');
      expect(await imported('全有全无')).toBe(0);

      expect((await post(records).expect(200)).body).toEqual({ imported: 601, skipped: 0, rejected: [] });
      expect(await imported('全有全无')).toBe(601);
      expect((await post(records).expect(200)).body).toEqual({ imported: 0, skipped: 601, rejected: [] });
      // The same records with their keys in another order are the same records.
      const reordered = records.map((r) => Object.fromEntries(Object.entries(r).reverse()));
      expect((await post(reordered).expect(200)).body).toEqual({ imported: 0, skipped: 601, rejected: [] });
      expect(await imported('全有全无')).toBe(601);
    });

    it('names every rejected record of an array, not only the first', async () => {
      const records = history('多处错误').slice(0, 10);
      const broken = records.map((r, i) => (i === 2 || i === 7 ? { ...r, createdAt: 'yesterday' } : r));
      const refused = await post(broken).expect(400);
      expect(refused.body.rejected.map((r: { index: number }) => r.index)).toEqual([2, 7]);
      expect(await imported('多处错误')).toBe(0);
    });

    it('NDJSON without externalRefs: a retried stream creates nothing twice, bad lines rejected alone', async () => {
      const records = history('流式重试').slice(0, 50);
      const lines = records.map((r, i) => (i === 10 ? '{"not": "a record"' : JSON.stringify(r))).join('\n');
      const send = () => api_().post('/api/v1/tasks/import').set('Authorization', org.token.admin).set('content-type', 'application/x-ndjson').send(lines);
      const first = (await send().expect(200)).body;
      expect(first).toMatchObject({ imported: 49, skipped: 0 });
      expect(first.rejected.map((r: { index: number }) => r.index)).toEqual([10]);
      expect((await send().expect(200)).body).toMatchObject({ imported: 0, skipped: 49 });
      expect(await imported('流式重试')).toBe(49);
    });
  });

  describe('POST /tasks/import: body and line limits hold while the body streams', () => {
    const MIB = 1_048_576;
    /**
     * Streams `records` as NDJSON lines, then one line of `lineBytes` of "x" in 10 MB chunks (one
     * buffer, reused: the test never holds the line), and resolves with the answer and how much
     * of the body had been handed to the socket when it came.
     */
    const streamHugeLine = (records: object[], lineBytes: number) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Record<string, unknown>; sentWhenAnswered: number; total: number }>(
        (resolve, reject) => {
          const head = Buffer.from(records.map((r) => JSON.stringify(r) + '\n').join(''));
          const chunk = Buffer.alloc(10 * MIB, 'x');
          let sent = 0;
          let queued = 0;
          const body = new Readable({
            read() {
              if (queued === 0) {
                queued = 1;
                sent += head.length;
                this.push(head);
                return;
              }
              if (queued > lineBytes / chunk.length) return void this.push(null);
              queued++;
              sent += chunk.length;
              this.push(chunk);
            },
          });
          const req = http.request(`${api.url}/api/v1/tasks/import`, {
            method: 'POST',
            headers: { authorization: org.token.admin, 'content-type': 'application/x-ndjson' },
          });
          // The server answers and closes before the body is through: the client's late writes may fail.
          req.on('error', (err) => (answered ? undefined : reject(err)));
          let answered = false;
          req.on('response', (res) => {
            answered = true;
            const sentWhenAnswered = sent;
            const parts: Buffer[] = [];
            res.on('data', (b: Buffer) => parts.push(b));
            res.on('end', () => {
              body.destroy();
              resolve({
                status: res.statusCode!,
                headers: res.headers,
                body: JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>,
                sentWhenAnswered,
                total: head.length + lineBytes,
              });
            });
          });
          body.pipe(req);
        },
      );

    it('an NDJSON line of 100 MB: 413 naming the line and record at the first MiB, the api alive, records before it in', async () => {
      const records = Array.from({ length: 3 }, (_, i) => ({
        workflow: 'hotline-ticket',
        title: `长行之前 #${i}`,
        leadDepartmentIds: [org.dept.O1],
        createdAt: '2024-05-06T09:00:00+08:00',
        dueAt: '2024-05-13T17:30:00+08:00',
        closedAt: '2024-05-08T10:00:00+08:00',
        state: 'closed',
      }));
      const answer = await streamHugeLine(records, 100 * MIB);
      expect(answer.status).toBe(413);
      expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(answer.body).toMatchObject({ type: 'urn:duban:problem:import-line-too-long', status: 413, line: 4, index: 3, limit: MIB });
      expect(answer.body.detail).toMatch(/^第 4 行/);
      // Refused as it streamed, not after reading it all.
      expect(answer.sentWhenAnswered).toBeLessThan(answer.total / 2);
      await api_().get('/api/v1/health').expect(200);
      expect(api.output()).not.toMatch(/heap out of memory|Invalid string length/);
      expect((await db.query(`SELECT count(*)::int AS n FROM tasks WHERE starts_with(title, '长行之前 #')`)).rows[0].n).toBe(3);
    }, 120_000);

    it('a line of exactly 1 MiB is read (and rejected alone as a record), one byte more is 413', async () => {
      const send = (line: string) =>
        api_().post('/api/v1/tasks/import').set('Authorization', org.token.admin).set('content-type', 'application/x-ndjson').send(`${line}\n`);
      const fits = await send(`"${'y'.repeat(MIB - 2)}"`);
      expect(fits.status).toBe(200);
      expect(fits.body.rejected.map((r: { index: number }) => r.index)).toEqual([0]);
      const over = await send(`"${'y'.repeat(MIB - 1)}"`);
      expect(over.status).toBe(413);
      expect(over.body).toMatchObject({ line: 1, index: 0 });
    });

    it('a JSON array over BODY_LIMIT: 413 problem+json, nothing written', async () => {
      const records = Array.from({ length: 4000 }, (_, i) => ({
        workflow: 'hotline-ticket',
        title: `超限数组 #${i} ${'填充'.repeat(100)}`,
        leadDepartmentIds: [org.dept.O1],
        createdAt: '2024-05-06T09:00:00+08:00',
        dueAt: '2024-05-13T17:30:00+08:00',
        state: 'closed',
        closedAt: '2024-05-08T10:00:00+08:00',
      }));
      expect(Buffer.byteLength(JSON.stringify(records))).toBeGreaterThan(MIB);
      const res = await api_().post('/api/v1/tasks/import').set('Authorization', org.token.admin).send(records);
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((await db.query(`SELECT count(*)::int AS n FROM tasks WHERE starts_with(title, '超限数组 #')`)).rows[0].n).toBe(0);
      await api_().get('/api/v1/health').expect(200);
    });
  });

  describe('a validly signed token that names no user', () => {
    it('without sub, or with a sub that is not a user id: 401, not 500', async () => {
      const secret = testEnv.env.JWT_SECRET!;
      // The premise: a token signed like this with a real sub is accepted.
      await api_()
        .get('/api/v1/tasks')
        .set('Authorization', signedToken(secret, { sub: org.userId.lead, username: 'lead', roles: ['lead'] }))
        .expect(200);
      for (const claims of [{ username: 'lead', roles: ['lead'] }, { sub: 'lead' }, { sub: 42 }, { sub: '' }]) {
        const res = await api_().get('/api/v1/tasks').set('Authorization', signedToken(secret, claims));
        expect({ claims, status: res.status }).toEqual({ claims, status: 401 });
      }
    });
  });
});
