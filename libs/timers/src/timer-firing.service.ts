import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { databaseNow } from '@duban/db';
import { NotificationsService, type Published } from '@duban/notifications';
import { type ClaimedTimer, TaskStore } from '@duban/tasks';
import { type RunningWorkflow, WorkflowRuntime } from '@duban/workflows';
import { DataSource, type EntityManager } from 'typeorm';
import { firingOf, firingUpdates, supersededFirings, timerNotices, unitsToName } from './firing.js';

/**
 * A timer that fired: how late, how many notices it (and the earlier timers of its task that fired
 * with it, whose own jobs come back `fired: false`) sent, and how late each of those was. One that
 * did not: gone, fired or cancelled already, or (`dueInMs`) live but not due for that many
 * milliseconds by the database's clock: its job came early, as a host whose clock runs ahead sees it.
 */
export type FiringOutcome = { fired: false; dueInMs?: number } | { fired: true; latenessMs: number; notices: number; backlogLatenessMs: number[] };

/**
 * Fires timers, each exactly once in effect: the claim (TaskStore.claimTimers) decides, and
 * everything a firing does (notices, card, escalation level, audit link, outbox event, next
 * progress request) commits with it or not at all. A batch fires set-wise in one transaction of
 * a fixed number of statements, which is what lets a burst of thousands of timers due in the
 * same second drain at thousands per second.
 *
 * The database is the clock: a timer fires once PostgreSQL's time reaches its due time, and
 * that time dates its audit link, notices and report facts, whatever the worker host's clock.
 * What is due now of a task fires as one, in due order, by whichever of its jobs comes first
 * (see TaskStore.claimTimers), so its notices never arrive out of order however the jobs spread
 * over batches and workers; stale steps of such a backlog send nothing (supersededFirings).
 */
@Injectable()
export class TimerFiringService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WorkflowRuntime) private readonly runtime: WorkflowRuntime,
    @Inject(TaskStore) private readonly store: TaskStore,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
  ) {}

  async fire(timerId: string): Promise<FiringOutcome> {
    return (await this.fireMany([timerId])).get(timerId) ?? { fired: false };
  }

  /** Fires the timers that are live and due; the others come back `fired: false` (with `dueInMs` when not due yet). */
  async fireMany(timerIds: readonly string[]): Promise<Map<string, FiringOutcome>> {
    const outcomes = new Map<string, FiringOutcome>(timerIds.map((id) => [id, { fired: false }]));
    // Definitions and calendars are read before the transaction, so that no lock waits on them.
    const { due, early, workflows } = await this.liveTimers(timerIds);
    for (const [id, dueInMs] of early) outcomes.set(id, { fired: false, dueInMs });
    if (due.length === 0) return outcomes;
    let published: Published[] = [];
    await this.db.transaction(async (tx) => {
      // Task rows first, as transitions lock them.
      const tasks = new Map((await this.store.lockForTimers(tx, due)).map((t) => [t.id, t]));
      if (tasks.size === 0) return;
      // Taken with the locks held, so times along a task's audit chain never go backwards.
      const now = await databaseNow(tx);
      const claimed = await this.store.claimTimers(tx, due, now);
      if (claimed.length === 0) return;
      const workflowOf = (task: { workflow_key: string; workflow_version: number }) => workflows.get(`${task.workflow_key}@${task.workflow_version}`);
      const superseded = supersededFirings(claimed, tasks, now);
      const names = await this.unitNames(tx, unitsToName(claimed, tasks));
      const inserted = await this.notifications.insertForRoles(
        tx,
        claimed
          .filter((timer) => !superseded.has(timer.id))
          .flatMap((timer) => timerNotices(timer, tasks.get(timer.task_id)!, workflowOf(tasks.get(timer.task_id)!), now, names)),
      );
      published = inserted;
      // By firing: an escalation's notices to the unit and to the supervisors count as one firing's.
      const recipients = new Map<string, string[]>();
      for (const p of inserted) recipients.set(firingOf(p.source), [...new Set([...(recipients.get(firingOf(p.source)) ?? []), p.userId])]);
      await this.store.update(tx, firingUpdates(claimed, tasks, workflowOf, recipients, now), now);
      this.tally(outcomes, claimed, recipients, now);
    });
    await this.notifications.publish(published);
    return outcomes;
  }

  /** Department names by id, for the co-opinion late notices that name the co-units missing. */
  private async unitNames(tx: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.query<{ id: string; name: string }[]>(`SELECT id, name FROM departments WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Each asked timer's outcome, with the notices and lateness of the earlier timers of its task that fired with it. */
  private tally(outcomes: Map<string, FiringOutcome>, claimed: readonly ClaimedTimer[], recipients: ReadonlyMap<string, string[]>, now: Date): void {
    const byTask = new Map<string, { fired: true; latenessMs: number; notices: number; backlogLatenessMs: number[] }>();
    const asked = claimed.filter((t) => outcomes.has(t.id));
    const measure = (t: ClaimedTimer) => ({ latenessMs: now.getTime() - t.due_at.getTime(), notices: recipients.get(`timer:${t.id}`)?.length ?? 0 });
    for (const timer of asked) {
      const outcome = { fired: true as const, ...measure(timer), backlogLatenessMs: [] };
      outcomes.set(timer.id, outcome);
      byTask.set(timer.task_id, outcome);
    }
    for (const timer of claimed) {
      const own = outcomes.has(timer.id) ? undefined : byTask.get(timer.task_id);
      if (!own) continue;
      const { latenessMs, notices } = measure(timer);
      own.notices += notices;
      own.backlogLatenessMs.push(latenessMs);
    }
  }

  /**
   * Of these timers, the live ones due by the database's clock, those not due yet (id → ms to
   * go), and the workflow versions of the due ones' tasks by `key@version`.
   */
  private async liveTimers(timerIds: readonly string[]) {
    const live = (await this.db.query(
      `SELECT tm.id, greatest(0, extract(epoch FROM tm.due_at - duban_now()) * 1000)::float8 AS due_in_ms, t.workflow_key, t.workflow_version
         FROM timers tm JOIN tasks t ON t.id = tm.task_id
        WHERE tm.id = ANY($1::uuid[]) AND tm.status IN ('pending', 'enqueued')`,
      [timerIds],
    )) as { id: string; due_in_ms: number; workflow_key: string; workflow_version: number }[];
    const due = live.filter((t) => t.due_in_ms === 0);
    const early = new Map(live.filter((t) => t.due_in_ms > 0).map((t) => [t.id, Math.ceil(t.due_in_ms)]));
    const workflows = new Map<string, RunningWorkflow>();
    for (const w of due) {
      const version = `${w.workflow_key}@${w.workflow_version}`;
      if (!workflows.has(version)) workflows.set(version, await this.runtime.pinned(w.workflow_key, w.workflow_version));
    }
    return { due: due.map((t) => t.id), early, workflows };
  }
}
