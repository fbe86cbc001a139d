import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { auditInsert, nextLink } from '@duban/audit';
import { CalendarsService } from '@duban/calendars';
import type { NotificationKind } from '@duban/db';
import { DEFAULT_CALENDAR, planTimers, stateOf, type TaskRole, type TimerKind } from '@duban/engine';
import { message, NotificationsService, type Published } from '@duban/notifications';
import { WorkflowsService } from '@duban/workflows';
import { DataSource } from 'typeorm';

const NOTICE: Record<TimerKind, NotificationKind> = {
  reminder: 'reminder',
  overdue: 'overdue',
  escalation: 'escalated',
  sla_breach: 'sla_breach',
  progress: 'progress_requested',
};

const EVENT: Record<TimerKind, string> = {
  reminder: 'task.reminder',
  overdue: 'task.overdue',
  escalation: 'task.escalated',
  sla_breach: 'task.sla_breached',
  progress: 'task.progress_requested',
};

const CARD_RANK = { yellow: 1, red: 2 } as const;

interface TimerRow {
  id: string;
  task_id: string;
  key: string;
  kind: TimerKind;
  due_at: Date;
  status: string;
  notify: TaskRole[];
  level: number | null;
  card: 'yellow' | 'red' | null;
}

export type FiringOutcome = { fired: false } | { fired: true; latenessMs: number; notices: number };

/**
 * Fires one timer, exactly once in effect: the claim `UPDATE … WHERE status IN (pending,
 * enqueued)` decides, and everything the firing does (notices, card, escalation level, audit
 * link, outbox event, next progress request) commits with it or not at all.
 */
@Injectable()
export class TimerFiringService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WorkflowsService) private readonly workflows: WorkflowsService,
    @Inject(CalendarsService) private readonly calendars: CalendarsService,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
  ) {}

  async fire(timerId: string): Promise<FiringOutcome> {
    const [pre] = (await this.db.query(
      `SELECT tm.status, t.workflow_key, t.workflow_version FROM timers tm JOIN tasks t ON t.id = tm.task_id WHERE tm.id = $1`,
      [timerId],
    )) as { status: string; workflow_key: string; workflow_version: number }[];
    if (!pre || (pre.status !== 'pending' && pre.status !== 'enqueued')) return { fired: false };
    const definition = await this.workflows.definitionOf(pre.workflow_key, pre.workflow_version);
    const calendar = await this.calendars.calendar(definition.calendar ?? DEFAULT_CALENDAR);

    let published: Published[] = [];
    const outcome = await this.db.transaction(async (tx): Promise<FiringOutcome> => {
      // The task row first, as transitions lock it: the two never wait on each other in reverse.
      const [task] = await tx.query(
        `SELECT t.id, t.ref, t.title, t.state, t.created_at, t.state_entered_at, t.due_at, t.card, t.escalation_level, t.version,
                t.audit_seq, t.audit_hash
           FROM tasks t JOIN timers tm ON tm.task_id = t.id WHERE tm.id = $1 FOR UPDATE OF t`,
        [timerId],
      );
      if (!task) return { fired: false };
      // Taken with the lock held, so times along a task's audit chain never go backwards.
      const now = new Date();
      const [timer] = (await tx.query(
        // Inside a CTE so that the driver returns the rows (a bare UPDATE … RETURNING comes back as [rows, count]).
        `WITH claimed AS (UPDATE timers SET status = 'fired', fired_at = $2 WHERE id = $1 AND status IN ('pending', 'enqueued')
                          RETURNING id, task_id, key, kind, due_at, status, notify, level, card)
         SELECT * FROM claimed`,
        [timerId, now],
      )) as TimerRow[];
      if (!timer) return { fired: false };

      const kind = NOTICE[timer.kind];
      const state = stateOf(definition, task.state);
      const dueAt = timer.kind === 'sla_breach' ? timer.due_at : (task.due_at as Date | null);
      const text = message({
        kind,
        taskTitle: task.title,
        taskRef: task.ref,
        dueAt,
        level: timer.level,
        card: timer.card,
        stateLabel: state?.label,
        timezone: calendar.timezone,
      });
      published = await this.notifications.insertForRoles(tx, timer.notify, {
        kind,
        taskId: task.id,
        title: text.title,
        body: text.body,
        data: { taskId: task.id, ref: task.ref, timer: timer.key, dueAt: dueAt?.toISOString() ?? null, level: timer.level, card: timer.card },
        source: `timer:${timer.id}`,
      });

      // Cards only ever go up (yellow, then red); the escalation level only grows.
      const card = timer.card && (!task.card || CARD_RANK[timer.card as 'yellow' | 'red'] > CARD_RANK[task.card as 'yellow' | 'red']) ? timer.card : task.card;
      const level = Math.max(task.escalation_level, timer.level ?? 0);
      const changed = card !== task.card || level !== task.escalation_level;
      // The chain head from the locked row: a firing that waited for the lock sees the last link.
      const entry = nextLink(task.audit_hash ? { seq: task.audit_seq, hash: task.audit_hash } : null, {
        taskId: task.id,
        at: now,
        actorId: null,
        actorRole: 'system',
        action: `timer.${timer.kind}`,
        fromState: task.state,
        toState: task.state,
        data: { timer: timer.key, dueAt: timer.due_at.toISOString(), recipients: published.length, ...(timer.level ? { level: timer.level } : {}), ...(card !== task.card ? { card } : {}) },
        requestId: null,
      });
      const params: unknown[] = [task.id, card, level, changed];
      const next =
        timer.kind === 'progress'
          ? planTimers(
              definition,
              { state: task.state, createdAt: task.created_at, stateEnteredAt: task.state_entered_at, dueAt: task.due_at, pausedWorkingMs: 0 },
              calendar,
              new Date(timer.due_at.getTime() + 1),
            ).filter((t) => t.kind === 'progress')
          : [];
      await tx.query(
        `WITH task AS (UPDATE tasks SET card = $2, escalation_level = $3, version = version + CASE WHEN $4::boolean THEN 1 ELSE 0 END,
                              updated_at = now(), audit_seq = $${params.push(entry.seq)}, audit_hash = $${params.push(entry.hash)} WHERE id = $1),
              audit AS (${auditInsert(entry, params)}),
              event AS (INSERT INTO outbox (event, task_id, payload) VALUES ($${params.push(EVENT[timer.kind])}, $1, $${params.push(
                JSON.stringify({ taskId: task.id, ref: task.ref, timer: timer.key, kind: timer.kind, dueAt: timer.due_at.toISOString(), level: timer.level, card: timer.card, recipients: published.map((p) => p.userId) }),
              )}::jsonb)),
              next AS (INSERT INTO timers (task_id, key, kind, due_at, notify)
                       SELECT $1, p.key, p.kind, p.due_at, p.notify FROM jsonb_to_recordset($${params.push(
                         JSON.stringify(next.map((t) => ({ key: t.key, kind: t.kind, due_at: t.dueAt.toISOString(), notify: t.notify }))),
                       )}::jsonb) AS p(key text, kind text, due_at timestamptz, notify text[])
                       ON CONFLICT (task_id, key) DO NOTHING)
         SELECT 1`,
        params,
      );
      return { fired: true, latenessMs: now.getTime() - timer.due_at.getTime(), notices: published.length };
    });
    await this.notifications.publish(published);
    return outcome;
  }
}
