import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { effectsOf, type EventNotice, type OutboxEvent, subscribedSql } from './event-effects.js';
import { message } from './messages.js';
import { NotificationsService } from './notifications.service.js';
import { recipientsOf } from './recipients.js';
import { WebhooksService } from './webhooks.service.js';

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
    if (effects.notice && event.taskId) await this.notify(event.id, event.taskId, effects.notice, event.payload);
    // Most events have no subscriber: the query above decided, and nothing more is done.
    if (effects.webhooks && subscribed) await this.webhooks.fanOut(event);
    await this.db.query(`UPDATE outbox SET done_at = now() WHERE id = $1 AND done_at IS NULL`, [outboxId]);
  }

  private async notify(outboxId: string, taskId: string, notice: EventNotice, payload: unknown): Promise<void> {
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
      const recipients = await recipientsOf(tx, taskId, notice.roles);
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
