import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import type pg from 'pg';
import request from 'supertest';
import { testClock, type TestClock } from './support/clock.js';
import { login, type Org } from './support/org-fixture.js';
import { DEMO_PASSWORD, startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, type TestEnv, waitFor } from './support/test-env.js';

/**
 * A year the calendar lacks that an open task falls due in (issue 18 point 2): GET /calendars/:key
 * warns of it, and the worker's daily job tells each admin once, however often it runs, whatever
 * the month; loading the year ends both.
 */
describe('a year an open task falls due in, without a schedule (real PostgreSQL and Redis)', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;
  let apiClock: TestClock;
  let workerClock: TestClock;
  let worker: RunningApp | undefined;
  let queue: Queue;
  /** Signed in with the clocks stopped on 1 June 2026 (tokens carry their time). */
  let admin: string;

  beforeAll(async () => {
    apiClock = await testClock();
    workerClock = await testClock();
    ({ testEnv, api, org, db } = await startStack(apiClock.env));
    const port = await freePort();
    worker = await startBuilt('apps/worker/src/main.js', { ...testEnv.env, ...workerClock.env, WORKER_PORT: String(port) }, port, '/health');
    queue = new Queue('calendar-years', { connection: { url: testEnv.redisUrl }, prefix: testEnv.queuePrefix });
    await request(api.url)
      .post('/api/v1/users')
      .set('Authorization', org.token.admin)
      .send({ username: 'admin2', displayName: '第二管理员', departmentId: org.dept.B, roles: ['admin'], password: 'password-123' })
      .expect(201);
    await apiClock.stopAt('2026-06-01T09:00:00+08:00');
    await workerClock.stopAt('2026-06-01T09:00:00+08:00');
    admin = await login(api.url, 'admin', DEMO_PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await queue?.close();
    await worker?.stop();
    await stopStack({ testEnv, api, db });
  });

  const http = () => request(api.url);
  const warnings = async () =>
    (await http().get('/api/v1/calendars/cn').set('Authorization', admin).expect(200)).body.warnings as { code: string; year: number; openTasks?: number }[];
  const run = async (jobId: string) => {
    await queue.add('notice-awaited-years', {}, { jobId });
    await waitFor(async () => (await queue.getJobState(jobId)) === 'completed', `the ${jobId} run to complete`);
  };
  const notices = async () =>
    (
      await db.query(
        `SELECT u.username, n.kind, n.title, n.body FROM notifications n JOIN users u ON u.id = n.user_id
          WHERE n.source = 'calendar-year:cn:2028' ORDER BY u.username`,
      )
    ).rows as { username: string; kind: string; title: string; body: string }[];

  it('in June nothing warns of 2028; a task due in March 2028 makes GET /calendars/cn (and the list) warn of it, with the count', async () => {
    expect((await warnings()).map((w) => w.year)).not.toContain(2028);
    await http()
      .post('/api/v1/tasks')
      .set('Authorization', admin)
      .send({ workflow: 'plan-item', title: '跨两年的重点工作', leadDepartmentIds: [org.dept.O1], dueAt: '2028-03-01T17:30:00+08:00' })
      .expect(201);
    expect(await warnings()).toContainEqual({
      code: 'deadline-year-missing',
      year: 2028,
      openTasks: 1,
      message: expect.stringContaining('1 项未办结任务的期限在2028年'),
    });
    const list = await http().get('/api/v1/calendars').set('Authorization', admin).expect(200);
    expect(list.body.items.find((c: { key: string }) => c.key === 'cn').warnings).toContainEqual(expect.objectContaining({ year: 2028, openTasks: 1 }));
  });

  it('the warnings, with their bureau-wide counts of open tasks, are the admins’: a lead or supervisor reads the calendar without them', async () => {
    for (const username of ['lead', 'supervisor']) {
      const token = await login(api.url, username, 'password-123');
      const detail = (await http().get('/api/v1/calendars/cn').set('Authorization', token).expect(200)).body;
      expect(detail).toMatchObject({ key: 'cn', warnings: [] });
      expect(detail.years.length).toBeGreaterThan(0);
      const list = (await http().get('/api/v1/calendars').set('Authorization', token).expect(200)).body;
      expect(list.items.find((c: { key: string }) => c.key === 'cn')).toMatchObject({ key: 'cn', warnings: [] });
    }
    expect((await warnings()).map((w) => w.year)).toContain(2028);
  });

  it('the daily job tells each admin once, and not again the next day', async () => {
    await run('june-1');
    await workerClock.stopAt('2026-06-02T09:00:00+08:00');
    await run('june-2');
    const told = await notices();
    expect(told.map((n) => [n.username, n.kind])).toEqual([
      ['admin', 'calendar_year_missing'],
      ['admin2', 'calendar_year_missing'],
    ]);
    expect(told[0]!.title).toBe('【日历】中国工作日历（国务院节假日安排）尚无2028年节假日安排');
    expect(told[0]!.body).toContain('已有 1 项未办结任务的期限在2028年');
    const inbox = await http().get('/api/v1/me/notifications').set('Authorization', admin).expect(200);
    expect(inbox.body.items.filter((n: { data: { year?: number } }) => n.data.year === 2028)).toHaveLength(1);
  });

  it('once 2028 is loaded the warning goes and no run tells of it again', async () => {
    await http()
      .put('/api/v1/calendars/cn/years/2028')
      .set('Authorization', admin)
      .send([{ date: '2028-01-01', kind: 'holiday', note: '元旦' }])
      .expect(200);
    expect((await warnings()).map((w) => w.year)).not.toContain(2028);
    await db.query(`DELETE FROM notifications WHERE source = 'calendar-year:cn:2028'`);
    await workerClock.stopAt('2026-06-03T09:00:00+08:00');
    await run('june-3');
    expect(await notices()).toEqual([]);
  });
});
