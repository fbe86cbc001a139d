import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import { waitForDrained } from './support/drained.js';
import { buildOrg, type Org } from './support/org-fixture.js';
import { createTestEnv, freePort, type RunningApp, stackQueues, startBuilt, startSeededApi, type TestEnv, waitFor } from './support/test-env.js';

/** Reads a streamed body until it contains `needle`. */
async function readUntil(res: Response, needle: string): Promise<string> {
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes(needle)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader.cancel().catch(() => undefined);
  return text;
}

/** Due 12 s after creation, a reminder 6 s before, escalations at 0 s and 6 s after. */
const FAST = {
  key: 'fast-ticket',
  name: '快速工单',
  deadline: '12s',
  states: [
    { key: 'open', label: '办理中', initial: true },
    { key: 'closed', label: '已办结', terminal: true },
  ],
  transitions: [{ action: 'close', label: '办结', from: ['open'], to: 'closed', allowed: ['owner'] }],
  reminders: [{ before: '6s', notify: ['owner'] }],
  escalations: [
    { level: 1, after: '0s', notify: ['supervisor'], card: 'yellow' },
    { level: 2, after: '6s', notify: ['supervisor'], card: 'red' },
  ],
};

describe('timers fire once, on time, to the right people', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let worker: RunningApp;
  let org: Org;
  let db: pg.Client;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    // The webhook sinks listen on loopback, which only an allow list lets webhooks reach.
    api = await startSeededApi(testEnv, 'demo-password', { WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });
    org = await buildOrg(api.url, 'demo-password');
    await request(api.url).post('/api/v1/workflows').set('Authorization', org.token.admin).send(FAST).expect(201);
    const port = await freePort();
    worker = await startBuilt(
      'apps/worker/src/main.js',
      {
        ...testEnv.env,
        WORKER_PORT: String(port),
        TIMER_PUMP_INTERVAL_MS: '200',
        TIMER_HORIZON_MS: '60000',
        WEBHOOK_BACKOFF_MS: '200',
        WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      },
      port,
      '/health',
    );
    db = new pg.Client({ connectionString: testEnv.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await worker?.stop();
    await api?.stop();
    await testEnv?.dispose();
  });

  /** A fast ticket for `lead`, created by `who`, as the api answers it. */
  const fastTicket = async (who: string, title: string, lead: string) =>
    (
      await request(api.url)
        .post('/api/v1/tasks')
        .set('Authorization', who)
        .send({ workflow: 'fast-ticket', title, leadDepartmentIds: [lead] })
        .expect(201)
    ).body as { id: string; ref: string; dueAt: string };
  const inbox = async (who: string, taskId: string) =>
    (await request(api.url).get('/api/v1/me/notifications').query({ taskId, limit: 100 }).set('Authorization', who).expect(200)).body;

  it('reminds the lead, then tells them it is overdue; escalates to the supervisor twice; ends red-carded — a task closed early gets none of it', async () => {
    const late = await fastTicket(org.token.supervisor, '关于推进数据共享', org.dept.O1);
    const early = await fastTicket(org.token.supervisor, '提前办结的工单', org.dept.O1);
    await request(api.url).post(`/api/v1/tasks/${early.id}/actions`).set('Authorization', org.token.lead).send({ action: 'close' }).expect(200);

    await waitFor(async () => (await inbox(org.token.supervisor, late.id)).total >= 2, 'both escalations', 30_000);
    // Count once the stack is idle (every timer fired or cancelled, every event dispatched, no job
    // left): a duplicate firing or notice would have arrived by then.
    await waitForDrained(testEnv);

    const lead = await inbox(org.token.lead, late.id);
    // "assigned" comes from the creation event; the timers add one reminder and one overdue notice.
    expect(lead.items.map((n: { kind: string }) => n.kind).reverse()).toEqual(['assigned', 'reminder', 'overdue']);
    expect(lead.items[2].title).toMatch(/^【交办】关于推进数据共享$/);
    expect(lead.items[1].title).toMatch(/^【到期提醒】关于推进数据共享将于\d{4}年\d+月\d+日 \d\d:\d\d到期$/);
    expect(lead.items[0].title).toMatch(/^【逾期】关于推进数据共享已于/);
    expect(lead.items[0].data).toMatchObject({ taskId: late.id, dueAt: late.dueAt });
    // The handler of the lead department is an owner too.
    expect((await inbox(org.token.handler, late.id)).total).toBe(3);

    const supervisor = await inbox(org.token.supervisor, late.id);
    expect(supervisor.items.map((n: { kind: string; data: { level: number } }) => [n.kind, n.data.level]).reverse()).toEqual([
      ['escalated', 1],
      ['escalated', 2],
    ]);
    expect(supervisor.items[0].title).toMatch(/^【督办·二级】/);
    // The supervisors are asked to press the unit; the date with its year, already past.
    expect(supervisor.items[0].body).toMatch(/逾期未办结（期限\d{4}年\d+月\d+日 \d\d:\d\d/);
    expect(supervisor.items[0].body).toMatch(/请督促承办单位办理。$/);

    const task = (await request(api.url).get(`/api/v1/tasks/${late.id}`).set('Authorization', org.token.lead).expect(200)).body;
    expect(task).toMatchObject({ overdue: true, card: 'red', light: 'red', escalationLevel: 2 });
    const trail = (await request(api.url).get(`/api/v1/tasks/${late.id}/audit`).set('Authorization', org.token.lead).expect(200)).body;
    // The overdue notice and level 1 come due at the same instant: their order is not fixed.
    expect(trail.map((e: { action: string }) => e.action).sort()).toEqual([
      'create',
      'timer.escalation',
      'timer.escalation',
      'timer.overdue',
      'timer.reminder',
    ]);
    expect(trail[0].action).toBe('create');
    expect(trail[1].action).toBe('timer.reminder');
    expect(trail[4].action).toBe('timer.escalation');
    await request(api.url).get(`/api/v1/tasks/${late.id}/audit/verify`).set('Authorization', org.token.lead).expect(200, { valid: true, entries: 5 });
    const events = (await db.query(`SELECT event FROM outbox WHERE task_id = $1 ORDER BY id`, [late.id])).rows.map((r) => r.event);
    expect([...events].sort()).toEqual(['task.created', 'task.escalated', 'task.escalated', 'task.overdue', 'task.reminder']);

    expect((await inbox(org.token.lead, early.id)).items.map((n: { kind: string }) => n.kind)).toEqual(['assigned']);
    expect((await inbox(org.token.supervisor, early.id)).total).toBe(0);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(Number(/^duban_timer_lateness_seconds_count (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(4);
    expect(Number(/^duban_notifications_sent_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(6);
    expect(metrics).toMatch(/^duban_timers_live\{status="enqueued"\} \d+/m);
    expect(metrics).toMatch(/^duban_outbox_lag_seconds \d/m);
    const earlyTimers = await db.query(`SELECT status, count(*)::int AS n FROM timers WHERE task_id = $1 GROUP BY status`, [early.id]);
    expect(earlyTimers.rows).toEqual([{ status: 'cancelled', n: 4 }]);
  }, 60_000);

  it('delivers a signed webhook once, after a subscriber that failed twice accepts the third attempt', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const sink: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = received.length <= 2 ? 503 : 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const sinkPort = (sink.address() as { port: number }).port;
    try {
      const secret = 'sink-secret-0123456789';
      const hook = (
        await request(api.url)
          .post('/api/v1/webhooks')
          .set('Authorization', org.token.admin)
          .send({ url: `http://127.0.0.1:${sinkPort}/hook`, secret, events: ['task.created'], departmentId: org.dept.O1 })
          .expect(201)
      ).body;
      expect(hook).not.toHaveProperty('secret');
      await request(api.url)
        .post('/api/v1/webhooks')
        .set('Authorization', org.token.lead)
        .send({ url: 'http://x', secret, events: ['*'] })
        .expect(403);
      const task = await fastTicket(org.token.supervisor, '网络订阅测试', org.dept.O1);
      // Another department's task does not reach a subscription limited to O1.
      await request(api.url)
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send({ workflow: 'fast-ticket', title: '别的部门', leadDepartmentIds: [org.dept.F] })
        .expect(201);

      const deliveries = await waitFor(async () => {
        const res = (await request(api.url).get(`/api/v1/webhooks/${hook.id}/deliveries`).set('Authorization', org.token.admin).expect(200)).body;
        return res.items[0]?.deliveredAt ? res : undefined;
      }, 'the delivery to succeed');
      expect(deliveries.total).toBe(1);
      expect(deliveries.items[0]).toMatchObject({ event: 'task.created', attempts: 3, lastStatus: 204, nextAttemptAt: null });
      expect(received).toHaveLength(3);
      const ids = new Set(received.map((r) => r.headers['x-duban-delivery']));
      expect(ids).toEqual(new Set([deliveries.items[0].id]));
      for (const r of received) {
        expect(r.headers['x-duban-event']).toBe('task.created');
        expect(r.headers['x-duban-signature']).toBe(`sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`);
        expect(JSON.parse(r.body).data).toMatchObject({ taskId: task.id });
      }
      // The owners were told of the new task in their inbox too.
      const assigned = (await request(api.url).get('/api/v1/me/notifications').query({ taskId: task.id }).set('Authorization', org.token.lead).expect(200))
        .body;
      expect(assigned.items.map((n: { kind: string }) => n.kind)).toContain('assigned');
    } finally {
      sink.close();
    }
  }, 30_000);

  it('absorbs the duplicate job of a relay that died between enqueueing an event and marking it: one delivery, one notice', async () => {
    const received: string[] = [];
    const sink: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(String(req.headers['x-duban-delivery']));
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const store = stackQueues(testEnv);
    const events = store.queueEvents('events');
    try {
      const hook = (
        await request(api.url)
          .post('/api/v1/webhooks')
          .set('Authorization', org.token.admin)
          .send({
            url: `http://127.0.0.1:${(sink.address() as { port: number }).port}/hook`,
            secret: 'relay-secret-0123456789',
            events: ['task.created'],
            departmentId: org.dept.O2,
          })
          .expect(201)
      ).body;
      const task = await fastTicket(org.token.supervisor, '中继重放测试', org.dept.O2);
      const deliveries = async () =>
        (await request(api.url).get(`/api/v1/webhooks/${hook.id}/deliveries`).set('Authorization', org.token.admin).expect(200)).body;
      await waitFor(async () => (await deliveries()).items[0]?.deliveredAt, 'the first delivery');
      const {
        rows: [event],
      } = await db.query(`SELECT id::text AS id FROM outbox WHERE event = 'task.created' AND task_id = $1`, [task.id]);

      // The state such a crash leaves: the job was enqueued (and here already consumed), the row is still undispatched.
      await events.waitUntilReady();
      const replayed = new Promise<void>((resolve) => events.on('completed', ({ jobId }) => jobId === `ob-${event.id}` && resolve()));
      await db.query(`UPDATE outbox SET dispatched_at = NULL WHERE id = $1`, [event.id]);
      await waitFor(
        async () => (await db.query(`SELECT 1 FROM outbox WHERE id = $1 AND dispatched_at IS NOT NULL`, [event.id])).rowCount === 1,
        'the relay to publish the row again',
      );
      await replayed;

      // A second delivery would have been queued by the replayed dispatch: count once the events and
      // webhooks queues are idle and the outbox is dispatched (the fast tickets' timers may still be ahead).
      await waitForDrained(testEnv, { queues: ['events', 'webhooks'] });
      const after = await deliveries();
      expect(after.total).toBe(1);
      expect(after.items[0]).toMatchObject({ attempts: 1, lastStatus: 204 });
      expect(received).toEqual([after.items[0].id]);
      const assigned = (await request(api.url).get('/api/v1/me/notifications').query({ taskId: task.id }).set('Authorization', org.token.lead2).expect(200))
        .body;
      expect(assigned.items.filter((n: { kind: string }) => n.kind === 'assigned')).toHaveLength(1);
    } finally {
      await events.close();
      await store.close();
      sink.close();
    }
  }, 30_000);

  it('pushes a new notice down the SSE stream, and resumes from Last-Event-ID', async () => {
    const token = org.token.lead2.replace('Bearer ', '');
    const events: { id?: string; event?: string; data?: string }[] = [];
    const abort = new AbortController();
    const res = await fetch(`${api.url}/api/v1/me/notifications/stream?access_token=${token}`, { signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const pump = (async () => {
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += new TextDecoder().decode(value);
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: { id?: string; event?: string; data?: string } = {};
          for (const line of block.split('\n')) {
            const [k, ...rest] = line.split(':');
            const v = rest.join(':').trim();
            if (k === 'id') e.id = v;
            if (k === 'event') e.event = v;
            if (k === 'data') e.data = v;
          }
          events.push(e);
        }
      }
    })();
    try {
      const first = await fastTicket(org.token.admin, '推送测试一', org.dept.O2);
      const pushed = await waitFor(() => events.find((e) => e.event === 'notification'), 'a pushed notice');
      expect(JSON.parse(pushed.data!)).toMatchObject({ kind: 'assigned', taskId: first.id, title: '【交办】推送测试一' });

      // A second notice while a reconnecting client is away comes back from the database.
      const second = await fastTicket(org.token.admin, '推送测试二', org.dept.O2);
      await waitFor(
        async () =>
          (await request(api.url).get('/api/v1/me/notifications').query({ taskId: second.id }).set('Authorization', org.token.lead2)).body.total === 1,
        'the second notice',
      );
      const resumed = await fetch(`${api.url}/api/v1/me/notifications/stream`, {
        headers: { authorization: org.token.lead2, 'last-event-id': pushed.id! },
        signal: AbortSignal.timeout(3000),
      });
      const text = await readUntil(resumed, '推送测试二');
      expect(text).toContain('event: notification');
      expect(text).not.toContain('推送测试一');
    } finally {
      abort.abort();
      await pump;
    }
    await request(api.url).get('/api/v1/me/notifications/stream').expect(401);
  }, 30_000);

  it('shows the queues on Bull Board at /admin/queues, to admins only', async () => {
    await request(api.url).get('/admin/queues').expect(401);
    await request(api.url).get('/admin/queues').set('Authorization', org.token.lead).expect(403);
    const page = await request(api.url).get('/admin/queues').set('Authorization', org.token.admin).expect(200);
    expect(page.text).toContain('<html');
    const queues = (await request(api.url).get('/admin/queues/api/queues').set('Authorization', org.token.admin).expect(200)).body;
    expect(queues.queues.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(['timers', 'events', 'webhooks', 'mail', 'audit']));
    // A browser's first visit brings the token in the query; the cookie carries it afterwards.
    const first = await request(api.url)
      .get(`/admin/queues?access_token=${org.token.admin.replace('Bearer ', '')}`)
      .expect(200);
    const cookie = first.headers['set-cookie']![0]!.split(';')[0]!;
    expect(first.headers['set-cookie']![0]).toMatch(/HttpOnly/i);
    await request(api.url).get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
  });

  it('marks a notice read, and only for its owner', async () => {
    const { items } = (await request(api.url).get('/api/v1/me/notifications').set('Authorization', org.token.lead).expect(200)).body;
    const id = items[0].id;
    await request(api.url).post(`/api/v1/me/notifications/${id}/read`).set('Authorization', org.token.supervisor).expect(404);
    const read = (await request(api.url).post(`/api/v1/me/notifications/${id}/read`).set('Authorization', org.token.lead).expect(200)).body;
    expect(read.readAt).toEqual(expect.any(String));
    const unread = (await request(api.url).get('/api/v1/me/notifications').query({ unread: 'true' }).set('Authorization', org.token.lead).expect(200)).body;
    expect(unread.items.map((n: { id: string }) => n.id)).not.toContain(id);
    expect(unread.unread).toBe(unread.total);
  });
});
