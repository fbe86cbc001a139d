import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import request from 'supertest';
import { skewedClock } from './support/clock.js';
import { type Stack, startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, waitFor } from './support/test-env.js';

/** Overdue 15 s after creation, with a yellow card then. */
const CLOCK_TICKET = {
  key: 'clock-ticket',
  name: '时钟工单',
  deadline: '15s',
  states: [
    { key: 'open', label: '办理中', initial: true },
    { key: 'closed', label: '已办结', terminal: true },
  ],
  transitions: [{ action: 'close', from: ['open'], to: 'closed', allowed: ['owner'] }],
  escalations: [{ level: 1, after: '0s', notify: ['supervisor'], card: 'yellow' }],
};

const SKEW_MS = 120_000;

describe('the database is the clock: a worker whose host clock runs two minutes fast', () => {
  let stack: Stack;
  let worker: RunningApp;

  beforeAll(async () => {
    stack = await startStack();
    await request(stack.api.url).post('/api/v1/workflows').set('Authorization', stack.org.token.admin).send(CLOCK_TICKET).expect(201);
    const port = await freePort();
    // TIMER_HORIZON_MS at its least: the pump enqueues a timer only in its last second.
    worker = await startBuilt(
      'apps/worker/src/main.js',
      { ...stack.testEnv.env, ...skewedClock(SKEW_MS), WORKER_PORT: String(port), TIMER_PUMP_INTERVAL_MS: '200', TIMER_HORIZON_MS: '1000' },
      port,
      '/health',
    );
  });

  afterAll(async () => {
    await worker?.stop();
    await stopStack(stack ?? {});
  });

  const create = async (title: string) =>
    (
      await request(stack.api.url)
        .post('/api/v1/tasks')
        .set('Authorization', stack.org.token.admin)
        .send({ workflow: 'clock-ticket', title, leadDepartmentIds: [stack.org.dept.O1] })
        .expect(201)
    ).body as { id: string; dueAt: string };
  const timersOf = async (id: string) =>
    (await stack.db.query(`SELECT id, kind, status, due_at, fired_at FROM timers WHERE task_id = $1 ORDER BY kind`, [id])).rows as {
      id: string;
      kind: string;
      status: string;
      due_at: Date;
      fired_at: Date | null;
    }[];
  const fired = (id: string) =>
    waitFor(async () => (await timersOf(id)).every((t) => t.status === 'fired'), 'the timers to fire', 40_000).then(() => timersOf(id));

  it('fires neither early nor dated ahead: due, notice and card times come from PostgreSQL, and the trail never goes backwards against the api', async () => {
    const task = await create('时钟偏快');
    const timers = await fired(task.id);
    for (const t of timers) {
      expect(t.fired_at!.getTime()).toBeGreaterThanOrEqual(t.due_at.getTime());
      // Dated by the database, not two minutes ahead.
      expect(t.fired_at!.getTime()).toBeLessThan(t.due_at.getTime() + SKEW_MS / 2);
    }
    const [{ now }] = (await stack.db.query(`SELECT now()`)).rows;
    const notices = await stack.db.query(`SELECT created_at FROM notifications WHERE task_id = $1 AND kind <> 'assigned'`, [task.id]);
    expect(notices.rowCount).toBe(3);
    for (const n of notices.rows) expect(n.created_at.getTime()).toBeLessThanOrEqual(now.getTime());
    const [card] = (await stack.db.query(`SELECT kind, at FROM task_events WHERE task_id = $1`, [task.id])).rows;
    expect(card.kind).toBe('yellow_card');
    expect(card.at.getTime()).toBeLessThanOrEqual(now.getTime());

    // The lead closes it through the api right after: its link comes after the worker's, in time as in sequence.
    await request(stack.api.url).post(`/api/v1/tasks/${task.id}/actions`).set('Authorization', stack.org.token.lead).send({ action: 'close' }).expect(200);
    const trail = (await request(stack.api.url).get(`/api/v1/tasks/${task.id}/audit`).set('Authorization', stack.org.token.lead).expect(200)).body as {
      action: string;
      at: string;
    }[];
    expect(trail.map((e) => e.action)).toEqual(['create', 'timer.overdue', 'timer.escalation', 'close']);
    const times = trail.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[1]).toBeGreaterThanOrEqual(Date.parse(task.dueAt));
  }, 60_000);

  it('holds back a job that arrives before its timer is due (a producer whose clock runs ahead) until the database says it is due', async () => {
    const task = await create('作业提前');
    const [overdue] = (await timersOf(task.id)).filter((t) => t.kind === 'overdue');
    // As a pump on a host two minutes fast would have enqueued it: due at once.
    const queue = new Queue('timers', { connection: { url: stack.testEnv.redisUrl }, prefix: stack.testEnv.queuePrefix });
    try {
      await queue.add('fire', { timerIds: [overdue!.id] }, { jobId: `tm-${overdue!.id}`, attempts: 8, backoff: { type: 'exponential', delay: 1000 } });
      const timers = await fired(task.id);
      for (const t of timers) expect(t.fired_at!.getTime()).toBeGreaterThanOrEqual(t.due_at.getTime());
      expect(await queue.getFailedCount()).toBe(0);
    } finally {
      await queue.close();
    }
    const notices = await stack.db.query(`SELECT kind FROM notifications WHERE task_id = $1 AND kind <> 'assigned'`, [task.id]);
    expect(notices.rowCount).toBe(3);
  }, 60_000);
});
