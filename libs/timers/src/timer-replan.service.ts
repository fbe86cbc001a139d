import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CalendarsService } from '@duban/calendars';
import { databaseNow } from '@duban/db';
import { DEFAULT_CALENDAR, type WorkflowDefinition } from '@duban/engine';
import { type LiveTimer, replannedTimers, TaskStore, type TaskUpdate } from '@duban/tasks';
import { WorkflowRuntime } from '@duban/workflows';
import { DataSource } from 'typeorm';
import { REPLAN_BATCH } from './timer-replans.queue.js';

interface Candidate {
  id: string;
  workflow_key: string;
  workflow_version: number;
}

/**
 * Carries out a request to re-plan (timer_replans, written with a change to a calendar's days):
 * the open tasks with live timers whose workflow version counts on that calendar, in id order,
 * REPLAN_BATCH at a time, each batch one transaction that locks its tasks, moves the timers whose
 * instant moved (replannedTimers, written by TaskStore with a `replanned` audit link) and records
 * its place in the request, so a job retried after a crash carries on where it stopped.
 */
@Injectable()
export class TimerReplanService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WorkflowRuntime) private readonly runtime: WorkflowRuntime,
    @Inject(CalendarsService) private readonly calendars: CalendarsService,
    @Inject(TaskStore) private readonly store: TaskStore,
  ) {}

  /** Works a request to its end; returns how many tasks had timers moved by it in all. */
  async run(requestId: string): Promise<{ replanned: number }> {
    for (;;) {
      const request = await this.request(requestId);
      if (!request || request.done_at) return { replanned: request?.replanned ?? 0 };
      await this.batch(requestId, request.calendar_key, request.after_task_id);
    }
  }

  private async request(id: string) {
    const [row] = (await this.db.query(`SELECT calendar_key, after_task_id, replanned, done_at FROM timer_replans WHERE id = $1`, [id])) as {
      calendar_key: string;
      after_task_id: string | null;
      replanned: number;
      done_at: Date | null;
    }[];
    return row;
  }

  /** One batch: the next tasks after `after`, re-planned on the calendar as the database has it now. */
  private async batch(requestId: string, calendarKey: string, after: string | null): Promise<void> {
    // Read before the transaction, so that no lock waits on them: the calendar afresh (the
    // change was made in another process), the definitions of the batch's workflow versions.
    const calendar = await this.calendars.calendar(calendarKey, 0);
    // Closed tasks too: a call-back (回访) timer lives on after closing.
    const candidates = (await this.db.query(
      `SELECT t.id, t.workflow_key, t.workflow_version FROM tasks t
         JOIN workflow_versions w ON w.key = t.workflow_key AND w.version = t.workflow_version
        WHERE coalesce(w.definition ->> 'calendar', $2) = $1 AND ($3::uuid IS NULL OR t.id > $3)
          AND EXISTS (SELECT 1 FROM timers tm WHERE tm.task_id = t.id AND tm.status IN ('pending', 'enqueued'))
        ORDER BY t.id LIMIT $4`,
      [calendarKey, DEFAULT_CALENDAR, after, REPLAN_BATCH],
    )) as Candidate[];
    const definitions = new Map<string, WorkflowDefinition>();
    for (const c of candidates) {
      const version = `${c.workflow_key}@${c.workflow_version}`;
      if (!definitions.has(version)) definitions.set(version, (await this.runtime.pinned(c.workflow_key, c.workflow_version)).definition);
    }
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM timer_replans WHERE id = $1 FOR UPDATE`, [requestId]);
      const rows = await this.store.lockMany(
        tx,
        candidates.map((c) => c.id),
      );
      const live = new Map<string, LiveTimer[]>();
      const timers = (await tx.query(
        `SELECT task_id, key, due_at FROM timers WHERE task_id = ANY($1::uuid[]) AND status IN ('pending', 'enqueued') ORDER BY due_at, key`,
        [rows.map((r) => r.id)],
      )) as (LiveTimer & { task_id: string })[];
      for (const t of timers) live.set(t.task_id, [...(live.get(t.task_id) ?? []), t]);
      const now = await databaseNow(tx);
      const updates = rows.flatMap((row): TaskUpdate[] => {
        const definition = definitions.get(`${row.workflow_key}@${row.workflow_version}`)!;
        const update = replannedTimers(row, live.get(row.id) ?? [], { definition, calendar }, { calendar: calendarKey }, now);
        return update ? [update] : [];
      });
      await this.store.update(tx, updates, now);
      const done = candidates.length < REPLAN_BATCH;
      await tx.query(
        `UPDATE timer_replans SET after_task_id = coalesce($2, after_task_id), replanned = replanned + $3, done_at = CASE WHEN $4 THEN $5::timestamptz END
          WHERE id = $1`,
        [requestId, candidates.at(-1)?.id ?? null, updates.length, done, now],
      );
    });
  }
}
