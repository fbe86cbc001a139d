import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { auditInsert, nextLink, type StoredEntry } from '@duban/audit';
import type { BusinessCalendar } from '@duban/calendar';
import { CalendarsService } from '@duban/calendars';
import type { NotificationKind } from '@duban/db';
import { DEFAULT_CALENDAR, planTimers, stateOf, type TaskRole, type TimerKind, type WorkflowDefinition } from '@duban/engine';
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
  notify: TaskRole[];
  level: number | null;
  card: 'yellow' | 'red' | null;
}

interface TaskRow {
  id: string;
  ref: string;
  title: string;
  state: string;
  workflow_key: string;
  workflow_version: number;
  created_at: Date;
  state_entered_at: Date;
  due_at: Date | null;
  card: 'yellow' | 'red' | null;
  escalation_level: number;
  audit_seq: number;
  audit_hash: string | null;
  primary_department_id: string | null;
}

export type FiringOutcome = { fired: false } | { fired: true; latenessMs: number; notices: number };

/** What one task looks like while a batch's firings are applied to it in due order. */
interface TaskAfter {
  card: 'yellow' | 'red' | null;
  level: number;
  versionBump: number;
  head: { seq: number; hash: string } | null;
}

/**
 * Fires timers, each exactly once in effect: the claim `UPDATE … WHERE status IN (pending,
 * enqueued)` decides, and everything a firing does (notices, card, escalation level, audit link,
 * outbox event, next progress request) commits with it or not at all. A batch fires set-wise in
 * one transaction of a fixed number of statements, which is what lets a burst of thousands of
 * timers due in the same second drain at thousands per second.
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
    return (await this.fireMany([timerId])).get(timerId) ?? { fired: false };
  }

  /** Fires the timers that are still live; the others (fired, cancelled, gone) come back `fired: false`. */
  async fireMany(timerIds: readonly string[]): Promise<Map<string, FiringOutcome>> {
    const outcomes = new Map<string, FiringOutcome>(timerIds.map((id) => [id, { fired: false }]));
    const live = (await this.db.query(
      `SELECT DISTINCT t.workflow_key, t.workflow_version FROM timers tm JOIN tasks t ON t.id = tm.task_id
        WHERE tm.id = ANY($1::uuid[]) AND tm.status IN ('pending', 'enqueued')`,
      [timerIds],
    )) as { workflow_key: string; workflow_version: number }[];
    if (live.length === 0) return outcomes;
    // Definitions and calendars are cached by their services; read before the transaction so that no lock waits on them.
    const workflows = new Map<string, { definition: WorkflowDefinition; calendar: BusinessCalendar }>();
    for (const w of live) {
      const definition = await this.workflows.definitionOf(w.workflow_key, w.workflow_version);
      workflows.set(`${w.workflow_key}@${w.workflow_version}`, { definition, calendar: await this.calendars.calendar(definition.calendar ?? DEFAULT_CALENDAR) });
    }

    let published: Published[] = [];
    await this.db.transaction(async (tx) => {
      // Task rows first, as transitions lock them, and in id order, so batches never wait on each other in a cycle.
      const tasks = new Map(
        ((await tx.query(
          `SELECT t.id, t.ref, t.title, t.state, t.workflow_key, t.workflow_version, t.created_at, t.state_entered_at, t.due_at, t.card,
                  t.escalation_level, t.audit_seq, t.audit_hash, t.primary_department_id
             FROM tasks t WHERE t.id IN (SELECT task_id FROM timers WHERE id = ANY($1::uuid[])) ORDER BY t.id FOR UPDATE OF t`,
          [timerIds],
        )) as TaskRow[]).map((t) => [t.id, t]),
      );
      if (tasks.size === 0) return;
      // Taken with the locks held, so times along a task's audit chain never go backwards.
      const now = new Date();
      const claimed = (await tx.query(
        // Inside a CTE so that the driver returns the rows (a bare UPDATE … RETURNING comes back as [rows, count]).
        `WITH claimed AS (UPDATE timers SET status = 'fired', fired_at = $2 WHERE id = ANY($1::uuid[]) AND status IN ('pending', 'enqueued')
                          RETURNING id, task_id, key, kind, due_at, notify, level, card)
         SELECT * FROM claimed ORDER BY due_at, id`,
        [timerIds, now],
      )) as TimerRow[];
      if (claimed.length === 0) return;

      const contextOf = (task: TaskRow) => workflows.get(`${task.workflow_key}@${task.workflow_version}`);
      const notices = claimed.map((timer) => {
        const task = tasks.get(timer.task_id)!;
        const context = contextOf(task);
        const dueAt = timer.kind === 'sla_breach' ? timer.due_at : task.due_at;
        const text = message({
          kind: NOTICE[timer.kind],
          taskTitle: task.title,
          taskRef: task.ref,
          dueAt,
          level: timer.level,
          card: timer.card,
          stateLabel: context ? stateOf(context.definition, task.state)?.label : undefined,
          timezone: context?.calendar.timezone ?? 'Asia/Shanghai',
        });
        return {
          roles: timer.notify,
          kind: NOTICE[timer.kind],
          taskId: task.id,
          title: text.title,
          body: text.body,
          data: { taskId: task.id, ref: task.ref, timer: timer.key, dueAt: dueAt?.toISOString() ?? null, level: timer.level, card: timer.card },
          source: `timer:${timer.id}`,
        };
      });
      const inserted = await this.notifications.insertForRoles(tx, notices);
      published = inserted;
      const recipients = new Map<string, string[]>();
      for (const p of inserted) recipients.set(p.source, [...(recipients.get(p.source) ?? []), p.userId]);

      const after = new Map<string, TaskAfter>();
      const entries: StoredEntry[] = [];
      const events: { event: string; task_id: string; payload: Record<string, unknown> }[] = [];
      const nextTimers: { task_id: string; key: string; kind: string; due_at: string; notify: string[] }[] = [];
      const cards: { task_id: string; department_id: string | null; kind: string }[] = [];
      for (const timer of claimed) {
        const task = tasks.get(timer.task_id)!;
        const state =
          after.get(task.id) ??
          ({ card: task.card, level: task.escalation_level, versionBump: 0, head: task.audit_hash ? { seq: task.audit_seq, hash: task.audit_hash } : null } satisfies TaskAfter);
        // Cards only ever go up (yellow, then red); the escalation level only grows.
        const card = timer.card && (!state.card || CARD_RANK[timer.card] > CARD_RANK[state.card]) ? timer.card : state.card;
        const level = Math.max(state.level, timer.level ?? 0);
        const sent = recipients.get(`timer:${timer.id}`) ?? [];
        const entry = nextLink(state.head, {
          taskId: task.id,
          at: now,
          actorId: null,
          actorRole: 'system',
          action: `timer.${timer.kind}`,
          fromState: task.state,
          toState: task.state,
          data: { timer: timer.key, dueAt: timer.due_at.toISOString(), recipients: sent.length, ...(timer.level ? { level: timer.level } : {}), ...(card !== state.card ? { card } : {}) },
          requestId: null,
        });
        entries.push(entry);
        if (card && card !== state.card) cards.push({ task_id: task.id, department_id: task.primary_department_id, kind: `${card}_card` });
        after.set(task.id, {
          card,
          level,
          versionBump: state.versionBump + (card !== state.card || level !== state.level ? 1 : 0),
          head: { seq: entry.seq, hash: entry.hash },
        });
        events.push({
          event: EVENT[timer.kind],
          task_id: task.id,
          payload: { taskId: task.id, ref: task.ref, timer: timer.key, kind: timer.kind, dueAt: timer.due_at.toISOString(), level: timer.level, card: timer.card, recipients: sent },
        });
        const context = contextOf(task);
        if (timer.kind === 'progress' && context) {
          const following = planTimers(
            context.definition,
            { state: task.state, createdAt: task.created_at, stateEnteredAt: task.state_entered_at, dueAt: task.due_at, pausedWorkingMs: 0 },
            context.calendar,
            new Date(timer.due_at.getTime() + 1),
          ).filter((t) => t.kind === 'progress');
          for (const t of following) nextTimers.push({ task_id: task.id, key: t.key, kind: t.kind, due_at: t.dueAt.toISOString(), notify: t.notify });
        }
        outcomes.set(timer.id, { fired: true, latenessMs: now.getTime() - timer.due_at.getTime(), notices: sent.length });
      }

      const params: unknown[] = [
        JSON.stringify([...after].map(([id, a]) => ({ id, card: a.card, level: a.level, bump: a.versionBump, seq: a.head!.seq, hash: a.head!.hash }))),
        JSON.stringify(events),
        JSON.stringify(nextTimers),
        JSON.stringify(cards),
        now,
      ];
      await tx.query(
        `WITH task AS (UPDATE tasks t SET card = a.card, escalation_level = a.level, version = t.version + a.bump, updated_at = now(),
                              audit_seq = a.seq, audit_hash = a.hash
                         FROM jsonb_to_recordset($1::jsonb) AS a(id uuid, card text, level int, bump int, seq int, hash text) WHERE t.id = a.id),
              audit AS (${auditInsert(entries, params)}),
              event AS (INSERT INTO outbox (event, task_id, payload)
                        SELECT e.event, e.task_id, e.payload FROM jsonb_to_recordset($2::jsonb) AS e(event text, task_id uuid, payload jsonb)),
              next AS (INSERT INTO timers (task_id, key, kind, due_at, notify)
                       SELECT p.task_id, p.key, p.kind, p.due_at, p.notify FROM jsonb_to_recordset($3::jsonb) AS p(task_id uuid, key text, kind text, due_at timestamptz, notify text[])
                       ON CONFLICT (task_id, key) DO NOTHING),
              cards AS (INSERT INTO task_events (task_id, department_id, kind, at)
                        SELECT c.task_id, c.department_id, c.kind, $5 FROM jsonb_to_recordset($4::jsonb) AS c(task_id uuid, department_id uuid, kind text))
         SELECT 1`,
        params,
      );
    });
    await this.notifications.publish(published);
    return outcomes;
  }
}
