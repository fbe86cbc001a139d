import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { testClock, type TestClock } from './support/clock.js';
import { type Stack, startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, waitFor } from './support/test-env.js';

/**
 * One timeline on a stopped clock (api and database; the worker reads the database's): each step
 * moves the clock on by days, as if the workers had been down meanwhile, and waits until what is
 * due has fired. Hotline tickets created Monday 2 November 2026 10:00 are due Monday the 9th
 * 10:00 (5wd); level 1 (yellow) is due then, level 2 (red) on Wednesday the 11th.
 */
describe('no stale timers: what is due now fires once', () => {
  let stack: Stack;
  let clock: TestClock;
  let worker: RunningApp;
  const ids: Record<'item' | 'reopened' | 'resumed', string> = { item: '', reopened: '', resumed: '' };

  beforeAll(async () => {
    clock = await testClock();
    stack = await startStack(clock.env);
    const port = await freePort();
    worker = await startBuilt('apps/worker/src/main.js', { ...stack.testEnv.env, WORKER_PORT: String(port), TIMER_PUMP_INTERVAL_MS: '200' }, port, '/health');
  });

  afterAll(async () => {
    await worker?.stop();
    await stopStack(stack ?? {});
  });

  const http = () => request(stack.api.url);
  const create = async (body: object) =>
    (await http().post('/api/v1/tasks').set('Authorization', stack.org.token.supervisor).send(body).expect(201)).body.id as string;
  const act = (id: string, who: string, body: object) => http().post(`/api/v1/tasks/${id}/actions`).set('Authorization', who).send(body).expect(200);
  /** Waits until none of the task's timers is due and unfired, then for the notices of what fired. */
  const settled = async (id: string) => {
    await waitFor(
      async () =>
        (await stack.db.query(`SELECT 1 FROM timers WHERE task_id = $1 AND status IN ('pending', 'enqueued') AND due_at <= duban_now()`, [id])).rowCount === 0,
      'every due timer to fire',
      30_000,
    );
    await waitFor(
      async () => (await stack.db.query(`SELECT 1 FROM outbox WHERE task_id = $1 AND dispatched_at IS NULL`, [id])).rowCount === 0,
      'the notices to go out',
    );
  };
  /** Notices of a task, oldest first (those of one timer by user name), as `kind` or `kind:level`, with who got them. */
  const notices = async (id: string) =>
    (
      await stack.db.query(
        `SELECT n.kind || coalesce(':' || (n.data->>'level'), '') AS kind, u.username FROM notifications n JOIN users u ON u.id = n.user_id
          WHERE n.task_id = $1 AND n.kind NOT IN ('assigned', 'action') ORDER BY min(n.id) OVER (PARTITION BY n.source), u.username`,
        [id],
      )
    ).rows.map((r: { kind: string; username: string }) => `${r.kind}→${r.username}`);
  const actions = async (id: string) =>
    (
      await stack.db.query(`SELECT action || coalesce(':' || (data->>'skipped'), '') AS action FROM audit_entries WHERE task_id = $1 ORDER BY seq`, [id])
    ).rows.map((r: { action: string }) => r.action);

  it('a monthly progress request missed for two months fires once, and the next is planned from today (not every missed month, a second apart)', async () => {
    // Thursday 20 August 2026: a plan item asks for progress on the 25th of each month at the start of work.
    await clock.stopAt('2026-08-20T09:00:00+08:00');
    ids.item = await create({ workflow: 'plan-item', title: '推进一网通办', leadDepartmentIds: [stack.org.dept.O2] });
    // The workers come back on Monday 2 November: August's request is due; September's and October's would be too.
    await clock.stopAt('2026-11-02T10:00:00+08:00');
    await settled(ids.item);
    expect((await notices(ids.item)).filter((n) => n.startsWith('progress_requested'))).toEqual(['progress_requested→lead2']);
    const next = await stack.db.query(`SELECT key, due_at FROM timers WHERE task_id = $1 AND kind = 'progress' AND status = 'pending'`, [ids.item]);
    expect(next.rows).toEqual([{ key: 'progress:2026-11-25', due_at: new Date('2026-11-25T08:30:00+08:00') }]);
  }, 60_000);

  it('catching up after days: owners are told once it is overdue, the supervisor once at the highest level reached; reminder, level 1 silent', async () => {
    ids.reopened = await create({ workflow: 'hotline-ticket', title: '路灯不亮', leadDepartmentIds: [stack.org.dept.O1] });
    ids.resumed = await create({ workflow: 'hotline-ticket', title: '井盖缺失', leadDepartmentIds: [stack.org.dept.O1] });
    for (const id of [ids.reopened, ids.resumed]) await act(id, stack.org.token.lead, { action: 'accept' });
    await act(ids.reopened, stack.org.token.lead, { action: 'close', comment: '已修复' });
    // Thursday 12 November: the reminder (6th), the due date and level 1 (9th) and level 2 (11th) have all passed.
    await clock.stopAt('2026-11-12T10:00:00+08:00');
    for (const id of [ids.resumed, ids.reopened]) await settled(id);
    expect(await notices(ids.resumed)).toEqual(['overdue→handler', 'overdue→lead', 'escalated:2→supervisor']);
    expect(await actions(ids.resumed)).toEqual([
      'create',
      'accept',
      'timer.reminder:superseded by overdue',
      'timer.overdue',
      'timer.escalation:superseded by level 2',
      'timer.escalation',
    ]);
    const task = (await http().get(`/api/v1/tasks/${ids.resumed}`).set('Authorization', stack.org.token.lead).expect(200)).body;
    expect(task).toMatchObject({ card: 'red', escalationLevel: 2 });
    // Silent steps still count their cards, as live workers would have given them: the yellow warning, then red.
    const cards = await stack.db.query(`SELECT kind FROM task_events WHERE task_id = $1 ORDER BY id`, [ids.resumed]);
    expect(cards.rows).toEqual([{ kind: 'yellow_card' }, { kind: 'red_card' }]);
    // The closed ticket's only step is its call-back (回访), due a working day after closing; nobody rated it.
    expect(await notices(ids.reopened)).toEqual(['callback→supervisor']);
  }, 60_000);

  it('reopening a closed ticket past its due date, or resuming one suspended for weeks, fires what is due now once', async () => {
    await act(ids.resumed, stack.org.token.lead, { action: 'suspend', comment: '等待群众补充材料' });
    // Friday 27 November: 11 working days later.
    await clock.stopAt('2026-11-27T10:00:00+08:00');
    await act(ids.reopened, stack.org.token.supervisor, { action: 'reopen', comment: '群众不满意，重办' });
    // Resumed, the ticket's due date (the end of Monday 9th, 5wde) moves on by the 11 working days it was suspended:
    // to the end of Tuesday the 24th, past again.
    const resumed = (await act(ids.resumed, stack.org.token.lead, { action: 'resume' })).body;
    expect(resumed.dueAt).toBe(new Date('2026-11-24T23:59:59.999+08:00').toISOString());
    for (const id of [ids.reopened, ids.resumed]) await settled(id);
    expect(await notices(ids.reopened)).toEqual(['callback→supervisor', 'overdue→handler', 'overdue→lead', 'escalated:2→supervisor']);
    expect((await notices(ids.resumed)).slice(3)).toEqual(['overdue→handler', 'overdue→lead', 'escalated:2→supervisor']);
    expect((await actions(ids.reopened)).slice(3)).toEqual([
      'timer.callback',
      'reopen',
      'timer.reminder:superseded by overdue',
      'timer.overdue',
      'timer.escalation:superseded by level 2',
      'timer.escalation',
    ]);
    await http().get(`/api/v1/tasks/${ids.reopened}/audit/verify`).set('Authorization', stack.org.token.lead).expect(200, { valid: true, entries: 9 });
    await clock.release();
  }, 60_000);
});
