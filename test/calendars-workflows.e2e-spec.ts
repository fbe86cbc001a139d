import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createDataSource } from '@duban/db';
import { HOTLINE_TICKET } from '@duban/engine';
import { hashPassword } from '@duban/org';
import { createTestEnv, freePort, type RunningApp, runBuilt, startBuilt, type TestEnv } from './support/test-env.js';

describe('calendars and workflow definitions over HTTP', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let admin: string;
  let lead: string;

  const login = async (username: string, password: string) =>
    (await request(api.url).post('/api/v1/auth/login').send({ username, password }).expect(200)).body.accessToken as string;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const seeded = await runBuilt('apps/cli/src/seed-demo.js', { DATABASE_URL: testEnv.databaseUrl, DEMO_PASSWORD: 'demo-password', DEMO_SCOPE: 'base' });
    expect(seeded.code).toBe(0);
    const ds = createDataSource({ url: testEnv.databaseUrl, poolSize: 1 });
    await ds.initialize();
    await ds.query(`INSERT INTO users (username, display_name, roles, password_hash) VALUES ('lead', '李科长', '{lead}', $1)`, [
      await hashPassword('lead-password'),
    ]);
    await ds.destroy();
    const port = await freePort();
    api = await startBuilt('apps/api/src/main.js', { ...testEnv.env, PORT: String(port) }, port, '/api/v1/health');
    admin = `Bearer ${await login('admin', 'demo-password')}`;
    lead = `Bearer ${await login('lead', 'lead-password')}`;
  });

  afterAll(async () => {
    await api?.stop();
    await testEnv?.dispose();
  });

  const add = (from: string, duration: string, who = lead) =>
    request(api.url).get('/api/v1/calendars/cn/add').query({ from, duration }).set('Authorization', who);

  describe('calendars', () => {
    it('needs a token', async () => {
      await request(api.url).get('/api/v1/calendars').expect(401);
    });

    it('lists the seeded calendar cn with its zone and hours', async () => {
      const res = await request(api.url).get('/api/v1/calendars').set('Authorization', lead).expect(200);
      expect(res.body).toEqual({
        items: [
          expect.objectContaining({
            key: 'cn',
            timezone: 'Asia/Shanghai',
            workingHours: [
              { start: '08:30', end: '12:00' },
              { start: '14:00', end: '17:30' },
            ],
          }),
        ],
        total: 1,
      });
    });

    it('shows the year 2025 with its holidays and make-up workdays', async () => {
      const res = await request(api.url).get('/api/v1/calendars/cn').query({ year: 2025 }).set('Authorization', lead).expect(200);
      expect(res.body.days).toContainEqual({ date: '2025-10-01', kind: 'holiday', note: '国庆节' });
      expect(res.body.days).toContainEqual(expect.objectContaining({ date: '2025-10-11', kind: 'workday' }));
      expect(res.body.days.every((d: { date: string }) => d.date.startsWith('2025-'))).toBe(true);
    });

    it('adds working days over National Day (API.md example)', async () => {
      const res = await add('2025-09-30T10:00:00+08:00', '3wd').expect(200);
      expect(res.body).toEqual({ from: '2025-09-30T02:00:00.000Z', duration: '3wd', result: '2025-10-11T02:00:00.000Z', uncertain: false, missingYears: [] });
      expect((await add('2025-12-31T10:00:00+08:00', '1wd').expect(200)).body.result).toBe('2026-01-04T02:00:00.000Z');
    });

    it('answers a bad from or duration with 400 naming each', async () => {
      const res = await add('next tuesday', '3 weeks').expect(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(new Set(res.body.errors.map((e: { path: string }) => e.path))).toEqual(new Set(['from', 'duration']));
      await add('2025-09-30', '1wd').expect(400);
    });

    it('answers an unknown calendar with 404, for reads and writes', async () => {
      await request(api.url).get('/api/v1/calendars/mars').set('Authorization', lead).expect(404);
      await request(api.url).put('/api/v1/calendars/mars/days/2025-10-09').set('Authorization', admin).send({ kind: 'holiday' }).expect(404);
      await request(api.url).put('/api/v1/calendars/mars/years/2027').set('Authorization', admin).send([]).expect(404);
    });

    it('lets only an admin change days, and the arithmetic follows at once', async () => {
      await request(api.url).put('/api/v1/calendars/cn/days/2025-10-09').set('Authorization', lead).send({ kind: 'holiday' }).expect(403);
      await request(api.url).put('/api/v1/calendars/cn/days/2025-10-09').set('Authorization', admin).send({ kind: 'holiday', note: '临时休息' }).expect(200);
      expect((await add('2025-09-30T10:00:00+08:00', '3wd').expect(200)).body.result).toBe('2025-10-13T02:00:00.000Z');
      await request(api.url).delete('/api/v1/calendars/cn/days/2025-10-09').set('Authorization', admin).expect(204);
      expect((await add('2025-09-30T10:00:00+08:00', '3wd').expect(200)).body.result).toBe('2025-10-11T02:00:00.000Z');
      await request(api.url).delete('/api/v1/calendars/cn/days/2025-10-09').set('Authorization', admin).expect(404);
      const bad = await request(api.url).put('/api/v1/calendars/cn/days/2025-02-30').set('Authorization', admin).send({ kind: 'holiday' }).expect(400);
      expect(bad.body.errors[0].path).toBe('date');
      await request(api.url).put('/api/v1/calendars/cn/days/2025-10-10').set('Authorization', admin).send({ kind: 'weekend' }).expect(400);
    });

    it('loads a whole year from a JSON list, replacing that year', async () => {
      const days = [
        { date: '2027-01-01', kind: 'holiday', note: '元旦' },
        { date: '2027-02-06', kind: 'workday', note: '春节补班' },
      ];
      await request(api.url).put('/api/v1/calendars/cn/years/2027').set('Authorization', lead).send(days).expect(403);
      const res = await request(api.url).put('/api/v1/calendars/cn/years/2027').set('Authorization', admin).send(days).expect(200);
      expect(res.body).toMatchObject({ year: 2027, format: 'list', dryRun: false, days: 2 });
      const year = await request(api.url).get('/api/v1/calendars/cn').query({ year: 2027 }).set('Authorization', lead).expect(200);
      expect(year.body.days).toEqual(days);
      const outside = await request(api.url)
        .put('/api/v1/calendars/cn/years/2027')
        .set('Authorization', admin)
        .send([{ date: '2028-01-01', kind: 'holiday' }])
        .expect(400);
      expect(outside.body.errors[0].path).toBe('[0].date');
    });

    it('loads a whole year from an .ics file', async () => {
      const ics = [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'BEGIN:VEVENT',
        'DTSTART;VALUE=DATE:20270501',
        'DTEND;VALUE=DATE:20270506',
        'SUMMARY:劳动节(休)',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'DTSTART;VALUE=DATE:20270508',
        'DTEND;VALUE=DATE:20270509',
        'SUMMARY:劳动节(班)',
        'END:VEVENT',
        'END:VCALENDAR',
      ].join('\r\n');
      const res = await request(api.url)
        .put('/api/v1/calendars/cn/years/2027')
        .set('Authorization', admin)
        .set('Content-Type', 'text/calendar')
        .send(ics)
        .expect(200);
      expect(res.body).toMatchObject({ year: 2027, format: 'ics', dryRun: false, days: 6 });
      // Fri Apr 30 10:00 + 1wd skips the May Day holiday (May 1–5) to Thu May 6.
      expect((await add('2027-04-30T10:00:00+08:00', '1wd').expect(200)).body.result).toBe('2027-05-06T02:00:00.000Z');
      const year = await request(api.url).get('/api/v1/calendars/cn').query({ year: 2027 }).set('Authorization', lead).expect(200);
      expect(year.body.days.map((d: { date: string; kind: string }) => `${d.date} ${d.kind}`)).toEqual([
        '2027-05-01 holiday',
        '2027-05-02 holiday',
        '2027-05-03 holiday',
        '2027-05-04 holiday',
        '2027-05-05 holiday',
        '2027-05-08 workday',
      ]);
    });

    it('lets an admin create a calendar with its own hours', async () => {
      const created = await request(api.url)
        .post('/api/v1/calendars')
        .set('Authorization', admin)
        .send({ key: 'night-shift', name: '夜班', timezone: 'Asia/Shanghai', workingHours: [{ start: '20:00', end: '24:00' }] })
        .expect(201);
      expect(created.body.key).toBe('night-shift');
      const res = await request(api.url)
        .get('/api/v1/calendars/night-shift/add')
        .query({ from: '2025-09-30T21:00:00+08:00', duration: '4wh' })
        .set('Authorization', lead)
        .expect(200);
      expect(res.body.result).toBe('2025-10-01T13:00:00.000Z');
      await request(api.url).post('/api/v1/calendars').set('Authorization', admin).send({ key: 'night-shift', name: 'again' }).expect(409);
      const badZone = await request(api.url)
        .post('/api/v1/calendars')
        .set('Authorization', admin)
        .send({ key: 'x', name: 'x', timezone: 'Mars/Base' })
        .expect(400);
      expect(badZone.body.errors[0].path).toBe('timezone');
    });
  });

  describe('workflow definitions', () => {
    const definition = (key: string) => ({ ...JSON.parse(JSON.stringify(HOTLINE_TICKET)), key, name: '测试工单' });

    it('validates a definition: 200 when valid, 422 with a path per error', async () => {
      await request(api.url).post('/api/v1/workflows/validate').set('Authorization', lead).send(definition('t1')).expect(200, { valid: true });
      const bad = definition('t1');
      bad.transitions[0].to = 'nowhere';
      bad.states[1].label = '';
      const res = await request(api.url).post('/api/v1/workflows/validate').set('Authorization', lead).send(bad).expect(422);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['transitions[0].to', 'states[1].label']));
    });

    it('refuses a definition on a calendar that does not exist', async () => {
      const res = await request(api.url)
        .post('/api/v1/workflows/validate')
        .set('Authorization', lead)
        .send({ ...definition('t2'), calendar: 'atlantis' })
        .expect(422);
      expect(res.body.errors).toEqual([{ path: 'calendar', message: '工作日历“atlantis”不存在。Unknown calendar "atlantis".' }]);
    });

    it('publishes versions (admin only) and keeps each one as published', async () => {
      await request(api.url).post('/api/v1/workflows').set('Authorization', lead).send(definition('ticket-x')).expect(403);
      expect((await request(api.url).post('/api/v1/workflows').set('Authorization', admin).send(definition('ticket-x')).expect(201)).body).toEqual({
        key: 'ticket-x',
        version: 1,
      });
      const v2 = { ...definition('ticket-x'), deadline: '3wd' };
      expect((await request(api.url).post('/api/v1/workflows').set('Authorization', admin).send(v2).expect(201)).body).toEqual({ key: 'ticket-x', version: 2 });

      const latest = await request(api.url).get('/api/v1/workflows/ticket-x').set('Authorization', lead).expect(200);
      expect(latest.body).toMatchObject({ key: 'ticket-x', version: 2, deadline: '3wd', publishedBy: expect.any(String) });
      const first = await request(api.url).get('/api/v1/workflows/ticket-x/versions/1').set('Authorization', lead).expect(200);
      expect(first.body).toMatchObject({ version: 1, deadline: '5wde' });
      await request(api.url).get('/api/v1/workflows/ticket-x/versions/3').set('Authorization', lead).expect(404);
      await request(api.url).get('/api/v1/workflows/nothing').set('Authorization', lead).expect(404);

      const invalid = await request(api.url)
        .post('/api/v1/workflows')
        .set('Authorization', admin)
        .send({ ...v2, states: [] })
        .expect(422);
      expect(invalid.body.errors[0].path).toBe('states');
    });

    it('gives concurrent publishers consecutive versions', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          request(api.url)
            .post('/api/v1/workflows')
            .set('Authorization', admin)
            .send({ ...definition('burst'), deadline: `${i + 1}wd` }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(results.map((r) => r.body.version).sort()).toEqual([1, 2, 3, 4, 5]);
    });

    it('refuses a publish identical to the latest version (in any key order), saying so in Chinese first; a real change publishes', async () => {
      const latest = (await request(api.url).get('/api/v1/workflows/ticket-x').set('Authorization', admin).expect(200)).body as Record<string, unknown>;
      const { version, publishedAt, publishedBy, ...definitionOnly } = latest;
      expect({ version, publishedAt: typeof publishedAt, publishedBy: typeof publishedBy }).toEqual({
        version: 2,
        publishedAt: 'string',
        publishedBy: 'string',
      });
      const reordered = Object.fromEntries(Object.entries(definitionOnly).reverse());
      const refused = await request(api.url).post('/api/v1/workflows').set('Authorization', admin).send(reordered).expect(409);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
      expect(refused.body).toMatchObject({
        code: 'workflow-unchanged',
        version: 2,
        detail: expect.stringMatching(/^流程定义与已发布的第 2 版完全相同，未发布新版本/),
      });
      await request(api.url).get('/api/v1/workflows/ticket-x/versions/3').set('Authorization', admin).expect(404);
      // Equal to an older version but not to the latest: a change back is a new version.
      const back = await request(api.url).post('/api/v1/workflows').set('Authorization', admin).send(definition('ticket-x')).expect(201);
      expect(back.body).toEqual({ key: 'ticket-x', version: 3 });
    });

    it('lists a workflow’s versions newest first, each with who published it by name', async () => {
      const res = await request(api.url).get('/api/v1/workflows/ticket-x/versions').set('Authorization', lead).expect(200);
      expect(res.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
      const adminName = (await request(api.url).get('/api/v1/me').set('Authorization', admin).expect(200)).body.displayName as string;
      expect(res.body.items[0]).toEqual({
        version: 3,
        name: expect.any(String),
        publishedAt: expect.any(String),
        publishedBy: expect.any(String),
        publishedByName: adminName,
      });
      const seeded = await request(api.url).get('/api/v1/workflows/hotline-ticket/versions').set('Authorization', lead).expect(200);
      expect(seeded.body.items[0]).toMatchObject({ version: 1, publishedBy: null, publishedByName: null });
      const missing = await request(api.url).get('/api/v1/workflows/nothing/versions').set('Authorization', lead).expect(404);
      expect(missing.body).toMatchObject({ code: 'workflow-not-found', detail: expect.stringMatching(/^不存在流程“nothing”/) });
    });

    it('lists the latest version of every workflow, the built-in ones included', async () => {
      const res = await request(api.url).get('/api/v1/workflows').query({ limit: 1000 }).set('Authorization', lead).expect(200);
      const keys = res.body.items.map((w: { key: string }) => w.key);
      expect(keys).toEqual(expect.arrayContaining(['plan-item', 'hotline-ticket', 'proposal-reply', 'ticket-x']));
      expect(res.body.items.find((w: { key: string }) => w.key === 'ticket-x').version).toBe(3);
      await request(api.url).get('/api/v1/workflows').query({ limit: 5000 }).set('Authorization', lead).expect(400);
    });
  });
});
