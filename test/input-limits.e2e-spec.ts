import { createHmac } from 'node:crypto';
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

  const http = () => request(api.url);
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
      const res = await http()
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
      await http()
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
      const res = await http().post('/api/v1/tasks/import').set('Authorization', org.token.admin).send([record]).expect(200);
      expect(res.body).toMatchObject({ imported: 1, rejected: [] });
    });
  });

  describe("a dueAt past the calendar's range", () => {
    it('POST /tasks with a dueAt in year 9999: 400 naming dueAt, nothing created', async () => {
      const res = await http()
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
        await http()
          .post('/api/v1/tasks')
          .set('Authorization', org.token.admin)
          .send({ workflow: 'hotline-ticket', title: '延期到九九九九年', leadDepartmentIds: [org.dept.O1] })
          .expect(201)
      ).body;
      await http().post(`/api/v1/tasks/${task.id}/actions`).set('Authorization', org.token.lead).send({ action: 'accept' }).expect(200);
      const res = await http()
        .post(`/api/v1/tasks/${task.id}/actions`)
        .set('Authorization', org.token.supervisor)
        .send({ action: 'extend', dueAt: '9999-12-31T17:30:00+08:00', comment: '需协调' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'dueAt', message: expect.any(String) }]);
      const after = (await http().get(`/api/v1/tasks/${task.id}`).set('Authorization', org.token.admin).expect(200)).body;
      expect(after).toMatchObject({ state: 'processing', dueAt: task.dueAt, version: 2 });
    });

    it('GET /calendars/cn/add with 999999 working days: 400 naming duration; from year 9999: 400 naming from', async () => {
      const add = (from: string, duration: string) => http().get('/api/v1/calendars/cn/add').query({ from, duration }).set('Authorization', org.token.admin);
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

  describe('a validly signed token that names no user', () => {
    it('without sub, or with a sub that is not a user id: 401, not 500', async () => {
      const secret = testEnv.env.JWT_SECRET!;
      // The premise: a token signed like this with a real sub is accepted.
      await http()
        .get('/api/v1/tasks')
        .set('Authorization', signedToken(secret, { sub: org.userId.lead, username: 'lead', roles: ['lead'] }))
        .expect(200);
      for (const claims of [{ username: 'lead', roles: ['lead'] }, { sub: 'lead' }, { sub: 42 }, { sub: '' }]) {
        const res = await http().get('/api/v1/tasks').set('Authorization', signedToken(secret, claims));
        expect({ claims, status: res.status }).toEqual({ claims, status: 401 });
      }
    });
  });
});
