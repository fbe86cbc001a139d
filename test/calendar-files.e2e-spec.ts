import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import type pg from 'pg';
import request from 'supertest';
import { testClock, type TestClock } from './support/clock.js';
import { login, type Org } from './support/org-fixture.js';
import { DEMO_PASSWORD, startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, type TestEnv, waitFor } from './support/test-env.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/holidays/${name}`, import.meta.url), 'utf8');
/** The widely shared kind of holiday calendar: several years, an alarm in every event, descriptions that mention the make-up days. */
const CN_ICS = fixture('cn-holidays.ics');
const HOLIDAY_CN_2018 = JSON.parse(fixture('holiday-cn-2018.json')) as { days: { name: string; date: string; isOffDay: boolean }[] };
const HOLIDAY_CN_2019 = JSON.parse(fixture('holiday-cn-2019.json')) as { days: { name: string; date: string; isOffDay: boolean }[] };

describe('holiday files and years without a schedule (real PostgreSQL and Redis)', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;
  let apiClock: TestClock;
  let workerClock: TestClock;
  let worker: RunningApp | undefined;

  beforeAll(async () => {
    apiClock = await testClock();
    workerClock = await testClock();
    ({ testEnv, api, org, db } = await startStack(apiClock.env));
  });

  afterAll(async () => {
    await worker?.stop();
    await stopStack({ testEnv, api, db });
  });

  const http = () => request(api.url);
  const loadYear = (key: string, year: number, body: object | string, query: { dryRun?: boolean } = {}) => {
    const call = http().put(`/api/v1/calendars/${key}/years/${year}`).query(query).set('Authorization', org.token.admin);
    return typeof body === 'string' ? call.set('Content-Type', 'text/calendar').send(body) : call.send(body);
  };
  const yearDays = async (key: string, year: number) =>
    (await http().get(`/api/v1/calendars/${key}`).query({ year }).set('Authorization', org.token.lead).expect(200)).body.days as {
      date: string;
      kind: string;
      note: string | null;
    }[];
  const add = (key: string, from: string, duration: string) =>
    http().get(`/api/v1/calendars/${key}/add`).query({ from, duration }).set('Authorization', org.token.lead).expect(200);
  const createCalendar = (key: string) => http().post('/api/v1/calendars').set('Authorization', org.token.admin).send({ key, name: key }).expect(201);

  describe('years without a schedule', () => {
    it('GET /calendars/cn lists the years it has: those chinese-days carries, 2004 to 2026', async () => {
      const res = await http().get('/api/v1/calendars/cn').set('Authorization', org.token.lead).expect(200);
      expect(res.body.years).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
      const list = await http().get('/api/v1/calendars').set('Authorization', org.token.lead).expect(200);
      expect(list.body.items[0].years).toEqual(res.body.years);
    });

    it('+1wd from 2026-12-31 when 2027 is not loaded still answers, with uncertain true and missingYears [2027]', async () => {
      expect((await add('cn', '2026-12-31T10:00:00+08:00', '1wd')).body).toEqual({
        from: '2026-12-31T02:00:00.000Z',
        duration: '1wd',
        result: '2027-01-01T02:00:00.000Z',
        uncertain: true,
        missingYears: [2027],
      });
      expect((await add('cn', '2026-12-31T10:00:00+08:00', '24h')).body).toMatchObject({ uncertain: false, missingYears: [] });
    });

    it('a ticket whose 5wde due date was counted across 2027 carries calendarWarning, list item too', async () => {
      /** A ticket created with the api's clock stopped at `at`; its token is issued then, as tokens expire. */
      const ticketAt = async (at: string, title: string) => {
        await apiClock.stopAt(at);
        try {
          const admin = await login(api.url, 'admin', DEMO_PASSWORD);
          const body = { workflow: 'hotline-ticket', title, leadDepartmentIds: [org.dept.O1] };
          return (await http().post('/api/v1/tasks').set('Authorization', admin).send(body).expect(201)).body as { id: string; dueAt: string };
        } finally {
          await apiClock.release();
        }
      };
      const created = await ticketAt('2026-12-28T10:00:00+08:00', '跨年工单');
      // The hotline's 5wde from Monday 28 December: 29, 30, 31 December, 1 January counted as worked, 4 January (5): its end.
      expect(created.dueAt).toBe('2027-01-04T15:59:59.999Z');
      const view = await http().get(`/api/v1/tasks/${created.id}`).set('Authorization', org.token.lead).expect(200);
      expect(view.body.calendarWarning).toEqual({ code: 'calendar-year-missing', missingYears: [2027], message: expect.stringContaining('2027年') });
      const list = await http().get('/api/v1/tasks').query({ q: '跨年工单' }).set('Authorization', org.token.lead).expect(200);
      expect(list.body.items[0].calendarWarning.missingYears).toEqual([2027]);
      expect(await ticketAt('2026-12-01T10:00:00+08:00', '年内工单')).toMatchObject({ dueAt: '2026-12-08T15:59:59.999Z', calendarWarning: null });
    });

    it('tells each admin once, from 1 November (Beijing time), that cn lacks 2027; never again once 2027 is loaded', async () => {
      const port = await freePort();
      worker = await startBuilt('apps/worker/src/main.js', { ...testEnv.env, ...workerClock.env, WORKER_PORT: String(port) }, port, '/health');
      const queue = new Queue('calendar-years', { connection: { url: testEnv.redisUrl }, prefix: testEnv.queuePrefix });
      const run = async (at: string, jobId: string) => {
        await workerClock.stopAt(at);
        await queue.add('notice-awaited-years', {}, { jobId });
        await waitFor(async () => (await queue.getJobState(jobId)) === 'completed', `the ${jobId} run to complete`);
      };
      const notices = async () =>
        (await db.query(`SELECT user_id, title, data FROM notifications WHERE source = 'calendar-year:cn:2027' ORDER BY id`)).rows as {
          user_id: string;
          title: string;
        }[];
      try {
        expect(await queue.getJobSchedulers()).toEqual([expect.objectContaining({ key: 'calendar-awaited-years', pattern: '0 9 * * *', tz: 'Asia/Shanghai' })]);
        // Before November only an open task falling due in 2027 tells of it: the 跨年工单 above does.
        await db.query(`UPDATE tasks SET closed_at = due_at WHERE title = '跨年工单'`);
        await run('2026-10-31T23:59:00+08:00', 'october');
        expect(await notices()).toEqual([]);
        await db.query(`UPDATE tasks SET closed_at = NULL WHERE title = '跨年工单'`);
        await run('2026-11-01T09:00:00+08:00', 'november-1');
        await run('2026-11-01T09:00:00+08:00', 'november-1-again');
        const [admin] = (await db.query(`SELECT id FROM users WHERE username = 'admin'`)).rows as { id: string }[];
        expect(await notices()).toEqual([
          { user_id: admin!.id, title: '【日历】中国工作日历（国务院节假日安排）尚无2027年节假日安排', data: { calendar: 'cn', year: 2027 } },
        ]);
        const inbox = await http().get('/api/v1/me/notifications').set('Authorization', org.token.admin).expect(200);
        expect(inbox.body.items).toContainEqual(expect.objectContaining({ kind: 'calendar_year_missing', taskId: null, data: { calendar: 'cn', year: 2027 } }));
        await loadYear('cn', 2027, [{ date: '2027-01-01', kind: 'holiday', note: '元旦' }]).expect(200);
        await run('2026-11-02T09:00:00+08:00', 'november-2');
        expect(await notices()).toHaveLength(1);
      } finally {
        await queue.close();
      }
    });

    it('once 2027 is loaded, the same arithmetic is certain and skips 元旦; the ticket’s warning goes', async () => {
      expect((await add('cn', '2026-12-31T10:00:00+08:00', '1wd')).body).toMatchObject({
        result: '2027-01-04T02:00:00.000Z',
        uncertain: false,
        missingYears: [],
      });
      const list = await http().get('/api/v1/tasks').query({ q: '跨年工单' }).set('Authorization', org.token.lead).expect(200);
      expect(list.body.items[0].calendarWarning).toBeNull();
      expect((await http().get('/api/v1/calendars/cn').set('Authorization', org.token.lead).expect(200)).body.years).toContain(2027);
    });
  });

  describe('an .ics holiday calendar', () => {
    it('previews, then loads 2025 from a multi-year file: 劳动节 假期 stays a holiday whatever its description says, multi-day events cover every day', async () => {
      await createCalendar('ics-cal');
      const preview = await loadYear('ics-cal', 2025, CN_ICS, { dryRun: true }).expect(200);
      expect(preview.body).toMatchObject({ year: 2025, format: 'ics', dryRun: true, days: 33, removed: [], changed: [], kept: [] });
      expect(preview.body.added).toContainEqual({ date: '2025-05-01', kind: 'holiday', note: '劳动节 假期' });
      expect(await yearDays('ics-cal', 2025)).toEqual([]);

      const loaded = await loadYear('ics-cal', 2025, CN_ICS).expect(200);
      expect(loaded.body).toMatchObject({ dryRun: false, days: 33 });
      const days = await yearDays('ics-cal', 2025);
      expect(days.filter((d) => d.kind === 'workday').map((d) => d.date)).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
      expect(days.filter((d) => d.date.startsWith('2025-05-0')).map((d) => `${d.date} ${d.kind}`)).toEqual([
        '2025-05-01 holiday',
        '2025-05-02 holiday',
        '2025-05-03 holiday',
        '2025-05-04 holiday',
        '2025-05-05 holiday',
      ]);
      // Wednesday 30 April + 1 working day: 1–5 May off, Tuesday 6 May.
      expect((await add('ics-cal', '2025-04-30T10:00:00+08:00', '1wd')).body).toMatchObject({ result: '2025-05-06T02:00:00.000Z', uncertain: false });
      expect((await http().get('/api/v1/calendars/ics-cal').set('Authorization', org.token.lead).expect(200)).body.years).toEqual([2025]);
    });

    it('answers a bad file with 400 problem+json naming the line, and saves nothing', async () => {
      const lines = CN_ICS.split('\r\n');
      const at = lines.indexOf('DTSTART;VALUE=DATE:20250501');
      lines[at] = 'DTSTART;VALUE=DATE:20251340';
      const res = await loadYear('ics-cal', 2025, lines.join('\r\n')).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'urn:duban:problem:holiday-file', line: at + 1, errors: [{ path: `line ${at + 1}` }] });
      expect(res.body.errors[0].message).toBe(`第 ${at + 1} 行：DTSTART 不是有效的日期（2025-13-40）`);
      expect(await yearDays('ics-cal', 2025)).toHaveLength(33);
    });
  });

  describe('holiday-cn files', () => {
    it('loading 2018 after 2019 leaves 2018-12-29…31, which the 2019 file set', async () => {
      await createCalendar('hcn');
      expect((await loadYear('hcn', 2019, HOLIDAY_CN_2019).expect(200)).body).toMatchObject({ format: 'holiday-cn', days: 37 });
      const preview = await loadYear('hcn', 2018, HOLIDAY_CN_2018, { dryRun: true }).expect(200);
      expect(preview.body).toMatchObject({ dryRun: true, days: 33, removed: [], changed: [], kept: [] });
      expect(preview.body.added).toHaveLength(33);
      await loadYear('hcn', 2018, HOLIDAY_CN_2018).expect(200);
      expect((await yearDays('hcn', 2018)).slice(-3)).toEqual([
        { date: '2018-12-29', kind: 'workday', note: '元旦补班' },
        { date: '2018-12-30', kind: 'holiday', note: '元旦' },
        { date: '2018-12-31', kind: 'holiday', note: '元旦' },
      ]);
      // Friday 28 December + 1 working day: the make-up Saturday.
      expect((await add('hcn', '2018-12-28T10:00:00+08:00', '1wd')).body).toMatchObject({ result: '2018-12-29T02:00:00.000Z', uncertain: false });
      expect((await http().get('/api/v1/calendars/hcn').set('Authorization', org.token.lead).expect(200)).body.years).toEqual([2018, 2019]);
    });

    it('previews a changed 2019 file: the day it no longer lists is removed, the one it turns around changed', async () => {
      const edited = structuredClone(HOLIDAY_CN_2019);
      edited.days.shift();
      edited.days[0]!.isOffDay = false;
      const res = await loadYear('hcn', 2019, edited, { dryRun: true }).expect(200);
      expect(res.body).toMatchObject({
        added: [],
        removed: [{ date: '2018-12-29', kind: 'workday', note: '元旦补班' }],
        changed: [{ date: '2018-12-30', kind: 'workday', note: '元旦补班', before: { kind: 'holiday', note: '元旦' } }],
      });
      expect((await yearDays('hcn', 2018)).slice(-3).map((d) => d.kind)).toEqual(['workday', 'holiday', 'holiday']);
    });

    it('on the seeded cn too: a 2018 load keeps the December days chinese-days gave the 2019 schedule', async () => {
      await loadYear('cn', 2018, HOLIDAY_CN_2018).expect(200);
      expect((await yearDays('cn', 2018)).slice(-3).map((d) => `${d.date} ${d.kind}`)).toEqual([
        '2018-12-29 workday',
        '2018-12-30 holiday',
        '2018-12-31 holiday',
      ]);
    });

    it('answers a bad entry with 400 naming it, and a file of another year with 400 naming `year`', async () => {
      const bad = structuredClone(HOLIDAY_CN_2019);
      bad.days[1]!.date = '2019-02-30';
      const res = await loadYear('hcn', 2019, bad).expect(400);
      expect(res.body).toMatchObject({ type: 'urn:duban:problem:holiday-file', errors: [{ path: 'days[1].date' }] });
      expect((await loadYear('hcn', 2020, HOLIDAY_CN_2019).expect(400)).body.errors[0].path).toBe('year');
      await http().put('/api/v1/calendars/hcn/years/2019').query({ dryRun: 'maybe' }).set('Authorization', org.token.admin).send(HOLIDAY_CN_2019).expect(400);
      await http().put('/api/v1/calendars/hcn/years/2019').set('Authorization', org.token.lead).send(HOLIDAY_CN_2019).expect(403);
    });
  });
});
