import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { buildOrg, login, type Org } from './support/org-fixture.js';
import { createTestEnv, freePort, type RunningApp, startBuilt, startSeededApi, type TestEnv, waitFor } from './support/test-env.js';

/** Ends of a server-sent event stream: every event read, and a promise settled when the server closes it. */
interface OpenStream {
  events: { event?: string; data?: string }[];
  closed: Promise<void>;
  abort: () => void;
}

async function openStream(url: string, bearer: string): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(`${url}/api/v1/me/notifications/stream?access_token=${bearer.replace('Bearer ', '')}`, { signal: abort.signal });
  if (res.status !== 200) throw new Error(`stream: ${res.status}`);
  const events: OpenStream['events'] = [];
  const reader = res.body!.getReader();
  const closed = (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += new TextDecoder().decode(value);
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const e: { event?: string; data?: string } = {};
        for (const line of buffer.slice(0, cut).split('\n')) {
          const [k, ...rest] = line.split(':');
          if (k === 'event') e.event = rest.join(':').trim();
          if (k === 'data') e.data = rest.join(':').trim();
        }
        events.push(e);
        buffer = buffer.slice(cut + 2);
      }
    }
  })();
  return { events, closed, abort: () => abort.abort() };
}

const PLAIN = {
  key: 'plain-ticket',
  name: '普通工单',
  states: [
    { key: 'open', label: '办理中', initial: true },
    { key: 'closed', label: '已办结', terminal: true },
  ],
  transitions: [{ action: 'close', label: '办结', from: ['open'], to: 'closed', allowed: ['owner'] }],
};

/**
 * Two api instances and a worker on one database and no Redis at all (issue 20): the queues run on
 * PostgreSQL, live notices and session nudges cross between the instances through LISTEN/NOTIFY,
 * and login limits are counted in PostgreSQL, shared by both.
 */
describe('without Redis: two api instances share notices, session ends and login limits through PostgreSQL', () => {
  let testEnv: TestEnv;
  let env: Record<string, string>;
  let one: RunningApp;
  let two: RunningApp;
  let worker: RunningApp;
  let org: Org;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    // No REDIS_URL: an empty variable counts as unset, whatever the test run's environment holds.
    env = { ...testEnv.env, REDIS_URL: '', QUEUE_BACKEND: 'postgres', LOGIN_RATE_LIMIT: '5', LOGIN_RATE_WINDOW_MS: '60000', TRUST_PROXY: 'loopback' };
    one = await startSeededApi(testEnv, 'demo-password', env);
    const port = await freePort();
    two = await startBuilt('apps/api/src/main.js', { ...env, PORT: String(port) }, port, '/api/v1/health');
    const workerPort = await freePort();
    worker = await startBuilt('apps/worker/src/main.js', { ...env, WORKER_PORT: String(workerPort) }, workerPort, '/health');
    org = await buildOrg(one.url, 'demo-password');
    await request(one.url).post('/api/v1/workflows').set('Authorization', org.token.admin).send(PLAIN).expect(201);
  }, 180_000); // Two apis and a worker start in turn: over a minute on a busy 2-core machine.

  afterAll(async () => {
    await worker?.stop();
    await two?.stop();
    await one?.stop();
    await testEnv?.dispose();
  });

  it('reports PostgreSQL alone as the service in use', async () => {
    const health = await request(two.url).get('/api/v1/health').expect(200);
    expect(health.body.status).toBe('ok');
    expect(Object.keys(health.body.info)).toEqual(['database']);
  });

  it('pushes a notice to a stream open on the other instance than the one the task was created on', async () => {
    const stream = await openStream(two.url, org.token.lead);
    try {
      const task = (
        await request(one.url)
          .post('/api/v1/tasks')
          .set('Authorization', org.token.supervisor)
          .send({ workflow: 'plain-ticket', title: '跨实例推送', leadDepartmentIds: [org.dept.O1] })
          .expect(201)
      ).body as { id: string };
      const pushed = await waitFor(
        () =>
          stream.events
            .map((e) => (e.event === 'notification' ? (JSON.parse(e.data!) as { kind: string; taskId: string }) : undefined))
            .find((n) => n?.taskId === task.id),
        'the assigned notice on the stream of the other instance',
      );
      expect(pushed).toMatchObject({ kind: 'assigned', taskId: task.id });
    } finally {
      stream.abort();
    }
  });

  it('listens again after PostgreSQL drops the listening connection, and pushes the next notice', async () => {
    const db = new pg.Client({ connectionString: testEnv.databaseUrl });
    await db.connect();
    try {
      const listeners = async () =>
        (await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'duban-listen'`)).rows;
      const before = await listeners();
      expect(before).toHaveLength(2);
      await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'duban-listen'`);
      await waitFor(async () => {
        const now = await listeners();
        return now.length === 2 && now.every((l) => !before.some((b) => b.pid === l.pid));
      }, 'both api instances to listen again');
    } finally {
      await db.end();
    }
    const stream = await openStream(two.url, org.token.lead);
    try {
      const task = (
        await request(one.url)
          .post('/api/v1/tasks')
          .set('Authorization', org.token.supervisor)
          .send({ workflow: 'plain-ticket', title: '重连后推送', leadDepartmentIds: [org.dept.O1] })
          .expect(201)
      ).body as { id: string };
      await waitFor(
        () => stream.events.some((e) => e.event === 'notification' && (JSON.parse(e.data!) as { taskId: string }).taskId === task.id),
        'the notice after the listener reconnected',
      );
    } finally {
      stream.abort();
    }
  });

  it('ends a stream on one instance as soon as the user is disabled through the other', async () => {
    const created = await request(one.url)
      .post('/api/v1/users')
      .set('Authorization', org.token.admin)
      .send({ username: 'nr-user', displayName: 'nr-user', departmentId: org.dept.O1, roles: ['lead'], password: 'password-123' })
      .expect(201);
    const stream = await openStream(two.url, await login(two.url, 'nr-user', 'password-123'));
    try {
      await request(one.url).patch(`/api/v1/users/${created.body.id}`).set('Authorization', org.token.admin).send({ disabled: true }).expect(200);
      // Well before the 15 s heartbeat that would also end it.
      await waitFor(() => stream.events.find((e) => e.event === 'session-ended'), 'the stream to end', 5000);
      expect(stream.events.find((e) => e.event === 'session-ended')?.data).toBe(JSON.stringify({ reason: 'disabled' }));
    } finally {
      stream.abort();
    }
  });

  it('counts failed logins across both instances: the 6th failure answers 429 on either', async () => {
    const from = (url: string, password: string) =>
      request(url).post('/api/v1/auth/login').set('X-Forwarded-For', '203.0.113.50').send({ username: 'lead', password });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await from(i % 2 ? two.url : one.url, `guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const refused = await from(one.url, 'password-123').expect(429);
    expect(refused.body.code).toBe('too-many-login-failures');
    // Another address still logs in.
    await request(two.url).post('/api/v1/auth/login').set('X-Forwarded-For', '203.0.113.51').send({ username: 'lead', password: 'password-123' }).expect(200);
  });
});
