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
    if (effects.notice && event.taskId) await this.notify(event.id, event.taskId, effects.notice);
    // Most events have no subscriber: the query above decided, and nothing more is done.
    if (effects.webhooks && subscribed) await this.webhooks.fanOut(event);
    await this.db.query(`UPDATE outbox SET done_at = now() WHERE id = $1 AND done_at IS NULL`, [outboxId]);
  }

  private async notify(outboxId: string, taskId: string, notice: EventNotice): Promise<void> {
    const published = await this.db.transaction(async (tx) => {
      const [task] = await tx.query<TaskFacts[]>(
        `SELECT t.ref, t.title, t.due_at, coalesce(c.timezone, 'Asia/Shanghai') AS timezone
           FROM tasks t
           JOIN workflow_versions w ON w.key = t.workflow_key AND w.version = t.workflow_version
           LEFT JOIN calendars c ON c.key = coalesce(w.definition->>'calendar', 'cn')
          WHERE t.id = $1`,
        [taskId],
      );
      if (!task) return [];
      const text = message({ kind: notice.kind, taskTitle: task.title, taskRef: task.ref, dueAt: task.due_at, timezone: task.timezone });
      return this.notifications.insert(tx, {
        userIds: await recipientsOf(tx, taskId, notice.roles),
        kind: notice.kind,
        taskId,
        title: text.title,
        body: text.body,
        data: { taskId, ref: task.ref, dueAt: task.due_at?.toISOString() ?? null },
        source: `outbox:${outboxId}`,
        email: notice.email,
      });
    });
    if (notice.email) await this.notifications.publish(published);
    else await this.notifications.broadcast(published);
  }
}
