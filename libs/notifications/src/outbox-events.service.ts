import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stateOf, type TaskRole, type WorkflowDefinition } from '@duban/engine';
import { DataSource } from 'typeorm';
import { effectsOf, type EventNotice, type OutboxEvent, subscribedSql } from './event-effects.js';
import { message } from './messages.js';
import { NotificationsService, type Published } from './notifications.service.js';
import { nextReaders } from './readers.js';
import { recipientsOf, removedOwnersOf } from './recipients.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * What a task.transitioned event carries (TaskStore writes it from applyTransition); labels and
 * dates are absent from events written before they were added.
 */
interface TransitionPayload {
  action: string;
  actionLabel?: string;
  from: string;
  to: string;
  toLabel?: string;
  actorId: string | null;
  comment?: string | null;
  dueAt?: string | null;
  requestedDueAt?: string | null;
}

/** What an event's notice says of its task. */
interface TaskFacts {
  ref: string;
  title: string;
  due_at: Date | null;
  timezone: string;
}

/**
 * Runs the events queue's `dispatch` job: does for one outbox event what its entry in
 * EVENT_EFFECTS declares, its notice first, then its webhook deliveries, and then marks the event
 * done (`done_at`): until then the relay's sweep re-queues it if Redis loses its job. Safe to
 * repeat: notices are unique per user and source, deliveries per subscription and event.
 */
@Injectable()
export class OutboxEventsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
    @Inject(WebhooksService) private readonly webhooks: WebhooksService,
  ) {}

  async dispatch(outboxId: string): Promise<void> {
    const [row] = await this.db.query<(OutboxEvent & { subscribed: boolean; done: boolean })[]>(
      `SELECT o.id::text AS id, o.event, o.task_id AS "taskId", o.payload, ${subscribedSql('o.event')} AS subscribed, o.done_at IS NOT NULL AS done
         FROM outbox o WHERE o.id = $1`,
      [outboxId],
    );
    if (!row || row.done) return;
    const { subscribed, done: _done, ...event } = row;
    const effects = effectsOf(event.event);
    const notice = effects.notice;
    if (notice && event.taskId) {
      if (notice.roles === 'next') await this.notifyNext(event.id, event.taskId, event.payload as TransitionPayload, notice);
      else await this.notify(event.id, event.taskId, notice, notice.roles, event.payload);
    }
    // Most events have no subscriber: the query above decided, and nothing more is done.
    if (effects.webhooks && subscribed) await this.webhooks.fanOut(event);
    await this.db.query(`UPDATE outbox SET done_at = now() WHERE id = $1 AND done_at IS NULL`, [outboxId]);
  }

  private async notify(outboxId: string, taskId: string, notice: EventNotice, roles: readonly TaskRole[], payload: unknown): Promise<void> {
    const act = notice.act ? actOf(payload) : null;
    const published = await this.db.transaction(async (tx) => {
      const [task] = await tx.query<(TaskFacts & { actor_name: string | null })[]>(
        `SELECT t.ref, t.title, t.due_at, coalesce(c.timezone, 'Asia/Shanghai') AS timezone,
                (SELECT u.display_name FROM users u WHERE u.id = $2::uuid) AS actor_name
           FROM tasks t
           JOIN workflow_versions w ON w.key = t.workflow_key AND w.version = t.workflow_version
           LEFT JOIN calendars c ON c.key = coalesce(w.definition->>'calendar', 'cn')
          WHERE t.id = $1`,
        [taskId, act?.actorId ?? null],
      );
      if (!task) return [];
      const text = message({
        kind: notice.kind,
        taskTitle: task.title,
        taskRef: task.ref,
        dueAt: act ? act.dueAt : task.due_at,
        timezone: task.timezone,
        ...(act ? { actorName: task.actor_name, comment: act.comment, card: act.card, timeLeft: act.timeLeft, overdue: act.overdue } : {}),
      });
      const recipients = [...new Set([...(await recipientsOf(tx, taskId, roles)), ...(await removedOwnersOf(tx, payload))])];
      return this.notifications.insert(tx, {
        userIds: act ? recipients.filter((id) => id !== act.actorId) : recipients,
        kind: notice.kind,
        taskId,
        title: text.title,
        body: text.body,
        data: {
          taskId,
          ref: task.ref,
          dueAt: task.due_at?.toISOString() ?? null,
          ...(act ? { actorId: act.actorId, comment: act.comment, card: act.card } : {}),
        },
        source: `outbox:${outboxId}`,
        email: notice.email,
      });
    });
    if (notice.email) await this.notifications.publish(published);
    else await this.notifications.broadcast(published);
  }

  /**
   * The `action` notices of a transition by a person: to each reader group of nextReaders on the
   * state it led to (the actor left out), worded for it, naming the actor and their department,
   * the action, the comment, the date asked for and the due date in the tense right now. Made
   * here from the event, not in the transition's transaction: an action's answer waits for no
   * recipient resolution, and the outbox gives the notices its retries and sweep. A transition by
   * the system, or an act that is not a transition of the definition, tells nobody.
   */
  private async notifyNext(outboxId: string, taskId: string, event: TransitionPayload, notice: EventNotice): Promise<void> {
    if (!event.actorId) return;
    const published = await this.db.transaction(async (tx) => {
      const [task] = await tx.query<(TaskFacts & { definition: WorkflowDefinition; actor: string | null; department: string | null; now: Date })[]>(
        `SELECT t.ref, t.title, t.due_at, coalesce(c.timezone, 'Asia/Shanghai') AS timezone, w.definition, duban_now() AS now,
                u.display_name AS actor, d.name AS department
           FROM tasks t
           JOIN workflow_versions w ON w.key = t.workflow_key AND w.version = t.workflow_version
           LEFT JOIN calendars c ON c.key = coalesce(w.definition->>'calendar', 'cn')
           LEFT JOIN users u ON u.id = $2
           LEFT JOIN departments d ON d.id = u.department_id
          WHERE t.id = $1`,
        [taskId, event.actorId],
      );
      const taken = task?.definition.transitions.find((t) => t.action === event.action && t.from.includes(event.from));
      if (!task || !taken) return [];
      const final = stateOf(task.definition, event.to)?.terminal === true;
      const out: Published[] = [];
      for (const group of nextReaders(task.definition, event.to, taken)) {
        const text = message({
          kind: notice.kind,
          taskTitle: task.title,
          taskRef: task.ref,
          dueAt: event.dueAt ? new Date(event.dueAt) : null,
          timezone: task.timezone,
          now: task.now,
          reader: group.reader,
          act: {
            actor: task.actor ?? '',
            department: task.department,
            actionLabel: event.actionLabel ?? event.action,
            stateLabel: event.toLabel ?? event.to,
            comment: event.comment ?? null,
            requestedDueAt: event.requestedDueAt ? new Date(event.requestedDueAt) : null,
            actions: group.actions,
            decides: group.decides,
            final,
          },
        });
        const userIds = (await recipientsOf(tx, taskId, group.roles)).filter((id) => id !== event.actorId);
        const data = {
          taskId,
          ref: task.ref,
          action: event.action,
          actorId: event.actorId,
          to: event.to,
          dueAt: event.dueAt,
          requestedDueAt: event.requestedDueAt,
        };
        out.push(
          ...(await this.notifications.insert(tx, {
            userIds,
            kind: notice.kind,
            taskId,
            title: text.title,
            body: text.body,
            data,
            source: `outbox:${outboxId}:${group.reader}`,
            email: notice.email,
          })),
        );
      }
      return out;
    });
    if (notice.email) await this.notifications.publish(published);
    else await this.notifications.broadcast(published);
  }
}

/** What an act's event (task.urged, task.carded) carries for its notice, as libs/tasks applyAct writes it. */
interface ActFacts {
  actorId: string | null;
  comment: string | null;
  card: 'yellow' | 'red' | null;
  /** The due date when they acted. */
  dueAt: Date | null;
  timeLeft: string | null;
  overdue: boolean;
}

/** The act's facts read from an event payload; absent fields are null, so an older row still words a notice. */
function actOf(payload: unknown): ActFacts {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const left = (typeof p.timeLeft === 'object' && p.timeLeft !== null ? p.timeLeft : {}) as Record<string, unknown>;
  const dueAt = text(p.dueAt);
  return {
    actorId: text(p.actorId),
    comment: text(p.comment),
    card: p.card === 'yellow' || p.card === 'red' ? p.card : null,
    dueAt: dueAt ? new Date(dueAt) : null,
    timeLeft: text(left.words),
    overdue: left.overdue === true,
  };
}
