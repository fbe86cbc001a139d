import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type pg from 'pg';
import request from 'supertest';
import type { Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import { type RunningApp, type TestEnv } from './support/test-env.js';

const RUNS = 1200;
const TABLES = [
  'users',
  'departments',
  'calendars',
  'calendar_days',
  'workflow_versions',
  'tasks',
  'task_owners',
  'timers',
  'outbox',
  'idempotency_keys',
  'audit_entries',
  'audit_anchors',
];

/** A request that must be refused: method, path, and a JSON value or raw text as the body. */
interface Malformed {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  raw?: string;
  contentType?: string;
}

// Values that are wrong for the field they are put in, whatever that field's type.
const huge = 'x'.repeat(100_000);
const sqlish = fc.constantFrom("' OR 1=1 --", "'; DROP TABLE tasks; --", '{"$gt": ""}', '$where', '1; SELECT pg_sleep(10)', '../../etc/passwd');
const oddUnicode = fc.constantFrom('\u0000', '\uFEFF\u200B', '\uD800', '𠮷'.repeat(3000), 'Ａ Ｂ', '\u202Ehello');
const badString = fc.oneof(fc.constant(''), fc.constant(huge), sqlish, oddUnicode);
// URLs stay under Node's 16 kB header limit, past which the HTTP parser drops the connection
// before the application is asked; the 100 kB strings go in bodies.
const longForUrl = 'x'.repeat(4000);
const badUrlString = fc.oneof(fc.constant(''), fc.constant(longForUrl), sqlish, fc.constantFrom('\u0000', '\uFEFF\u200B', '𠮷'.repeat(300), 'Ａ Ｂ'));
// null is left out: for an optional field it means absent, which is valid.
const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant([]), fc.dictionary(fc.string(), fc.integer()));
const badUuid = fc.oneof(fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-00000000000g', '123', '%00', "1' OR '1'='1"), sqlish, fc.integer());
const badDate = fc.constantFrom('2025-13-01T00:00:00Z', 'yesterday', '2025-02-30', '2025-09-30', '9999999-01-01T00:00:00Z', '1e100', 20251001);
const badDay = fc.constantFrom('2025-13-01', '2025-02-30', 'yesterday', '20251001', '2025-1-1', '0000-00-00');
const badPaging = fc.record({
  page: fc.constantFrom(-1, 0, 'x', 1e12, '1; DROP TABLE users', 1.5),
  limit: fc.constantFrom(0, 1001, -5, 'all', 1e9),
});
const pathSegment = (v: unknown) => encodeURIComponent(String(v));
/** A wrong id for a path; never empty, since /tasks/ is simply the list. */
const badId = () => fc.oneof(badUuid, badUrlString).filter((v) => String(v) !== '');

describe('malformed requests never give a 5xx and never change data', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;
  let taskId: string;

  const counts = async () => {
    const result: Record<string, number> = {};
    for (const table of TABLES) result[table] = (await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
    return result;
  };

  beforeAll(async () => {
    ({ testEnv, api, org, db } = await startStack({ LOGIN_RATE_LIMIT: '100000' }));
    taskId = (
      await request(api.url)
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send({ workflow: 'hotline-ticket', title: '样例', leadDepartmentIds: [org.dept.O1] })
        .expect(201)
    ).body.id;
  });

  afterAll(() => stopStack({ testEnv, api, db }));

  /** A valid body with one field made wrong, or with an unknown key. */
  const corrupt = (base: Record<string, unknown>, badValues: Record<string, fc.Arbitrary<unknown>>) =>
    fc.oneof(
      ...Object.entries(badValues).map(([field, bad]) => bad.map((value) => ({ ...base, [field]: value }))),
      fc.constantFrom('__proto__', 'constructor', '$where', 'isAdmin', 'roles[]').chain((key) => fc.jsonValue().map((v) => ({ ...base, [key]: v }))),
    );

  const requests = (): fc.Arbitrary<Malformed> => {
    const dept = org.dept.O1;
    const task = { workflow: 'hotline-ticket', title: '标题', leadDepartmentIds: [dept] };
    const department = { code: 'fz', name: '模糊测试科', kind: 'office' };
    const user = { username: 'fuzzer', displayName: '模糊', roles: ['lead'], password: 'password-123' };
    return fc.oneof(
      corrupt(task, {
        workflow: fc.oneof(badString, notAString, fc.constant('no-such-workflow')),
        title: fc.oneof(fc.constant(''), fc.constant(huge), notAString),
        leadDepartmentIds: fc.oneof(
          fc.constant([]),
          badUuid.map((u) => [u]),
          notAString,
          fc.constant(['00000000-0000-4000-8000-000000000000']),
        ),
        coDepartmentIds: fc.oneof(
          badUuid.map((u) => [u]),
          fc.constant([dept]),
        ),
        dueAt: fc.oneof(badDate, notAString),
        priority: fc.oneof(badString, fc.constant('URGENT'), notAString),
        parentId: fc.oneof(badUuid, fc.constant('00000000-0000-4000-8000-000000000000')),
        externalRef: fc.oneof(fc.constant(''), fc.constant(huge), notAString),
        data: fc.oneof(fc.string(), fc.integer(), fc.constant([1, 2])),
      }).map((body) => ({ method: 'post' as const, path: '/tasks', body })),
      corrupt(
        { action: 'accept' },
        {
          action: fc.oneof(badString, notAString, fc.constant('ACCEPT!')),
          comment: fc.oneof(fc.constant(huge), notAString),
          progress: fc.constantFrom(-1, 101, 'x', 1.5, 1e308),
          dueAt: badDate,
          assigneeId: badUuid,
          expectedVersion: fc.constantFrom(0, -1, 'x', 1.5, 2 ** 40),
          rating: fc.oneof(fc.constant('great'), notAString),
        },
      ).map((body) => ({ method: 'post' as const, path: `/tasks/${taskId}/actions`, body })),
      corrupt(department, {
        code: fc.oneof(fc.constant(''), fc.constant('a b'), fc.constant(huge), sqlish, notAString),
        name: fc.oneof(fc.constant(''), fc.constant(huge), notAString),
        kind: fc.oneof(fc.constant('ministry'), notAString),
        parentId: badUuid,
        supervisorDepartmentId: fc.oneof(badUuid, fc.constant('00000000-0000-4000-8000-000000000000')),
        aliases: fc.oneof(fc.string(), fc.constant([1, 2]), fc.constant(Array(60).fill('x'))),
      }).map((body) => ({ method: 'post' as const, path: '/departments', body })),
      corrupt({}, { name: fc.oneof(fc.constant(''), fc.constant(huge), notAString), kind: fc.constant('ministry'), parentId: fc.constant(dept) })
        .filter((body) => Object.keys(body).length > 0)
        .map((body) => ({ method: 'patch' as const, path: `/departments/${org.dept.O1}`, body })),
      corrupt(user, {
        username: fc.oneof(fc.constant(''), fc.constant('has space'), fc.constant(huge), sqlish, notAString),
        displayName: fc.oneof(fc.constant(''), fc.constant(huge), notAString),
        roles: fc.oneof(fc.constant(['root']), fc.constant('admin'), fc.constant(['lead', 'lead'])),
        password: fc.oneof(fc.constant('short'), fc.constant(huge), notAString),
        email: fc.oneof(fc.constant('not-an-email'), fc.integer()),
        departmentId: fc.oneof(badUuid, fc.constant('00000000-0000-4000-8000-000000000000')),
      }).map((body) => ({ method: 'post' as const, path: '/users', body })),
      badId().map((id) => ({ method: 'patch' as const, path: `/users/${pathSegment(id)}`, body: { displayName: 'x' } })),
      fc
        .record({ paging: badPaging, which: fc.constantFrom('/tasks', '/departments', '/users', '/calendars', '/workflows') })
        .chain(({ paging, which }) =>
          fc.constantFrom({ page: paging.page }, { limit: paging.limit }, paging).map((query) => ({ method: 'get' as const, path: which, query })),
        ),
      fc
        .oneof(
          fc.record({ overdue: fc.constantFrom('yes', '1', '') }),
          fc.record({ card: fc.oneof(fc.constant('blue'), sqlish) }),
          fc.record({ departmentId: badUuid }),
          fc.record({ parentId: badUuid }),
          fc.record({ q: fc.constant(longForUrl) }),
          fc.record({ workflow: badUrlString.filter((v) => v !== '') }),
          fc.record({ unknownFilter: fc.string() }),
        )
        .map((query) => ({ method: 'get' as const, path: '/tasks', query })),
      badId().chain((id) =>
        fc
          .constantFrom(
            `/tasks/${pathSegment(id)}`,
            `/tasks/${pathSegment(id)}/audit`,
            `/tasks/${pathSegment(id)}/audit/verify`,
            `/departments/${pathSegment(id)}`,
            `/users/${pathSegment(id)}`,
          )
          .map((path) => ({ method: 'get' as const, path })),
      ),
      fc
        .record({ from: fc.oneof(badDate, badUrlString), duration: fc.oneof(fc.constantFrom('5 days', '-1wd', 'wd', '1.5wh', '99999999wd'), badUrlString) })
        .map((query) => ({ method: 'get' as const, path: '/calendars/cn/add', query })),
      fc
        .oneof(badDay, badUrlString)
        .filter((v) => String(v) !== '')
        .map((date) => ({ method: 'put' as const, path: `/calendars/cn/days/${pathSegment(date)}`, body: { kind: 'holiday' } })),
      fc.oneof(fc.constant('weekend'), notAString).map((kind) => ({ method: 'put' as const, path: '/calendars/cn/days/2030-01-02', body: { kind } })),
      fc
        .oneof(badDay, badUrlString)
        .filter((v) => String(v) !== '')
        .map((date) => ({ method: 'delete' as const, path: `/calendars/cn/days/${pathSegment(date)}` })),
      fc
        .oneof(
          fc.record({ year: fc.constantFrom('abc', '20x5', '-1'), body: fc.constant([]) }),
          fc.record({
            year: fc.constant('2031'),
            body: fc.oneof(
              fc.constant({ not: 'a list' }),
              fc.constant([{ date: '2032-01-01', kind: 'holiday' }]),
              fc.constant([{ date: 'x', kind: 'holiday' }]),
              fc.constant([{ date: '2031-01-01', kind: 'nap' }]),
              fc.constant([42]),
            ),
          }),
        )
        .map(({ year, body }) => ({ method: 'put' as const, path: `/calendars/cn/years/${year}`, body })),
      fc.constantFrom('BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR', 'not a calendar', '').map((raw) => ({
        method: 'put' as const,
        path: '/calendars/cn/years/2031',
        raw,
        contentType: 'text/calendar',
      })),
      fc.jsonValue().chain((body) => fc.constantFrom('/workflows', '/workflows/validate').map((path) => ({ method: 'post' as const, path, body }))),
      corrupt(
        { key: 'fz', name: '模糊', timezone: 'Asia/Shanghai' },
        {
          key: fc.oneof(badString, notAString),
          timezone: fc.oneof(fc.constant('Mars/Base'), badString),
          workingHours: fc.constantFrom([], [{ start: '25:00', end: '26:00' }], [{ start: '12:00', end: '09:00' }], 'all day'),
        },
      ).map((body) => ({ method: 'post' as const, path: '/calendars', body })),
      fc
        .constantFrom('{"title": ', '{"__proto__": {"isAdmin": true}, "workflow": 1}', '[1, 2', 'null', '"just a string"', '{"a":1}{"b":2}', '\u0000')
        .chain((raw) =>
          fc
            .constantFrom('/tasks', `/tasks/${taskId}/actions`, '/departments', '/users', '/workflows', '/auth/login')
            .map((path) => ({ method: 'post' as const, path, raw })),
        ),
    );
  };

  it(`answers ${RUNS} generated malformed requests with 4xx only and changes no row`, async () => {
    const before = await counts();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests(), fc.constantFrom('admin', 'lead', 'supervisor') as fc.Arbitrary<keyof Org['token']>, async (req, who) => {
        let call = request(api.url)[req.method](`/api/v1${req.path}`).set('Authorization', org.token[who]);
        if (req.query) call = call.query(req.query as Record<string, string>);
        // Scalars and null go as raw JSON text: superagent only serialises objects and arrays itself.
        const raw = req.raw ?? (req.body !== undefined && (typeof req.body !== 'object' || req.body === null) ? JSON.stringify(req.body) : undefined);
        if (raw !== undefined) call = call.set('Content-Type', req.contentType ?? 'application/json').send(raw);
        else if (req.body !== undefined) call = call.send(req.body as object);
        const res = await call;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status < 400 || res.status >= 500) {
          const sent = String(req.raw ?? JSON.stringify(req.body)).slice(0, 300);
          const answer = JSON.stringify(res.body).slice(0, 300);
          throw new Error(`${req.method.toUpperCase()} ${req.path} ${JSON.stringify(req.query ?? '')} ${sent} → ${res.status} ${answer}`);
        }
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: RUNS },
    );
    expect(await counts()).toEqual(before);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
  });
});
