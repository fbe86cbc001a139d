import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NotificationKind } from '@duban/db';
import { DomainError } from '@duban/http';
import { Broadcast, broadcastBatches } from '@duban/queues';
import { DataSource, type EntityManager } from 'typeorm';
import { MailService } from './mail.service.js';
import { recipientsArraySql } from './recipients.js';

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  taskId: string | null;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export interface NewNotification {
  userIds: string[];
  kind: NotificationKind;
  taskId: string | null;
  title: string;
  body: string;
  data: Record<string, unknown>;
  /** What caused it; one notice per user and source, however often the cause is retried. */
  source: string;
  /**
   * Whether an e-mail copy is wanted. It is kept as pending on the notice (when this process has
   * SMTP_URL and the user an address) in the notice's own transaction, so a Redis that loses the
   * mail job loses no e-mail: the mail sweep queues it again.
   */
  email: boolean;
}

/** Notices for whoever the roles name on the task when they are inserted. */
export interface RoleNotification extends Omit<NewNotification, 'userIds' | 'taskId'> {
  roles: readonly string[];
  taskId: string;
}

export interface Published {
  id: string;
  userId: string;
}

export class NotificationNotFoundError extends DomainError.of(404, 'notification-not-found', 'Notification not found') {
  constructor(id: string) {
    super(`You have no notification ${id}.`);
  }
}

const VIEW = `id::text AS id, kind, task_id AS "taskId", title, body, data, created_at AS "createdAt", read_at AS "readAt"`;

interface Row extends Omit<NotificationView, 'createdAt' | 'readAt'> {
  createdAt: Date;
  readAt: Date | null;
}

const toView = (r: Row): NotificationView => ({ ...r, createdAt: r.createdAt.toISOString(), readAt: r.readAt?.toISOString() ?? null });

/**
 * SQL: whether a new notice's e-mail copy is pending: it is wanted (`wanted`), e-mail is on in
 * this process (`enabled`, a boolean parameter) and the user (`userId`) has an address.
 */
const mailPendingSql = (wanted: string, userId: string, enabled: string) =>
  `(${wanted} AND ${enabled}::boolean AND EXISTS (SELECT 1 FROM users mu WHERE mu.id = ${userId} AND mu.email IS NOT NULL))`;

/** The broadcast topic that carries new notices' ids (Published[] as JSON) to every api instance. */
export const NOTIFICATIONS_TOPIC = 'notifications';

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(Broadcast) private readonly broadcaster: Broadcast,
    @Inject(MailService) private readonly mail: MailService,
  ) {}

  /**
   * Notices for the users each entry's roles name on its task, found and inserted in one
   * statement inside the caller's transaction however many entries; returns those that are new,
   * with the source that caused each. Ids follow the entries' order, which is what orders a
   * user's inbox: timers' notices are given in due order.
   */
  async insertForRoles(tx: EntityManager, notices: readonly RoleNotification[]): Promise<(Published & { source: string })[]> {
    const wanted = notices.filter((n) => n.roles.length > 0);
    if (wanted.length === 0) return [];
    const rows = await tx.query<{ id: string; user_id: string; source: string }[]>(
      `INSERT INTO notifications (user_id, kind, task_id, title, body, data, source, mail_pending)
       SELECT u, n.kind, n.task_id, n.title, n.body, n.data, n.source, ${mailPendingSql('n.email', 'u', '$2')}
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb)
                         AS (roles text[], kind text, task_id uuid, title text, body text, data jsonb, source text, email boolean))
              WITH ORDINALITY AS n(roles, kind, task_id, title, body, data, source, email, ord)
        CROSS JOIN LATERAL unnest(${recipientsArraySql('n.task_id', 'n.roles')}) AS u
        ORDER BY n.ord
       ON CONFLICT (user_id, source) DO NOTHING
       RETURNING id::text AS id, user_id, source`,
      [
        JSON.stringify(
          wanted.map((n) => ({
            roles: n.roles,
            kind: n.kind,
            task_id: n.taskId,
            title: n.title,
            body: n.body,
            data: n.data,
            source: n.source,
            email: n.email,
          })),
        ),
        this.mail.enabled,
      ],
    );
    return rows.map((r) => ({ id: r.id, userId: r.user_id, source: r.source }));
  }

  /** Inserts the notices inside the caller's transaction; returns those that are new. */
  async insert(tx: EntityManager, n: NewNotification): Promise<Published[]> {
    if (n.userIds.length === 0) return [];
    const rows = await tx.query<{ id: string; user_id: string }[]>(
      `INSERT INTO notifications (user_id, kind, task_id, title, body, data, source, mail_pending)
       SELECT u, $2, $3, $4, $5, $6::jsonb, $7, ${mailPendingSql('$8::boolean', 'u', '$9')}
         FROM unnest($1::uuid[]) AS u
       ON CONFLICT (user_id, source) DO NOTHING
       RETURNING id::text AS id, user_id`,
      [n.userIds, n.kind, n.taskId, n.title, n.body, JSON.stringify(n.data), n.source, n.email, this.mail.enabled],
    );
    return rows.map((r) => ({ id: r.id, userId: r.user_id }));
  }

  /** After commit: pushes the new notices to open streams (broadcast) and queues their e-mail copies. */
  async publish(published: Published[]): Promise<void> {
    if (published.length === 0) return;
    await this.broadcast(published);
    await this.mail.enqueue(published.map((p) => p.id));
  }

  /**
   * After commit: tells every api instance (ids and users only, in messages within the
   * broadcast's size limit), which pushes to the users' open streams. Losing this (Redis or the
   * database down) loses nothing: the notice is in the database and a stream resumes from it.
   */
  async broadcast(published: Published[]): Promise<void> {
    if (published.length === 0) return;
    try {
      for (const batch of broadcastBatches(published.map((p) => ({ id: p.id, userId: p.userId })))) {
        await this.broadcaster.publish(NOTIFICATIONS_TOPIC, batch);
      }
    } catch (err) {
      this.logger.warn(`could not publish ${published.length} notification(s): ${(err as Error).message}`);
    }
  }

  async list(
    userId: string,
    filter: { unread?: boolean; taskId?: string },
    page: number,
    limit: number,
  ): Promise<{ items: NotificationView[]; total: number; unread: number }> {
    const where = ['user_id = $1'];
    const params: unknown[] = [userId];
    if (filter.unread) where.push('read_at IS NULL');
    if (filter.taskId) where.push(`task_id = $${params.push(filter.taskId)}`);
    const clause = where.join(' AND ');
    const [{ total }] = await this.db.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM notifications WHERE ${clause}`, params);
    const [{ unread }] = await this.db.query<{ unread: number }[]>(`SELECT count(*)::int AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL`, [
      userId,
    ]);
    // notifications.id, not the text column of the view that shares its name: 11 sorts before 6 as text.
    const rows = await this.db.query<Row[]>(
      `SELECT ${VIEW} FROM notifications WHERE ${clause} ORDER BY notifications.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, (page - 1) * limit],
    );
    return { items: rows.map(toView), total, unread };
  }

  async markRead(userId: string, id: string): Promise<NotificationView> {
    const [row] = await this.db.query<Row[]>(
      `WITH marked AS (UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING *) SELECT ${VIEW} FROM marked`,
      [id, userId],
    );
    if (!row) throw new NotificationNotFoundError(id);
    return toView(row);
  }

  /** Marks every unread notice of the user read now; returns how many it marked. */
  async markAllRead(userId: string): Promise<{ marked: number }> {
    const result = await this.db.query<[unknown[], number]>(`UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, [userId]);
    return { marked: result[1] ?? 0 };
  }

  /** A user's notices after `afterId`, oldest first: what a reconnecting stream missed. */
  async since(userId: string, afterId: string, limit = 500): Promise<NotificationView[]> {
    const rows = await this.db.query<Row[]>(
      `SELECT ${VIEW} FROM notifications WHERE user_id = $1 AND notifications.id > $2::bigint ORDER BY notifications.id LIMIT $3`,
      [userId, afterId, limit],
    );
    return rows.map(toView);
  }

  async byIds(ids: string[]): Promise<(NotificationView & { userId: string })[]> {
    const rows = await this.db.query<(Row & { userId: string })[]>(`SELECT ${VIEW}, user_id AS "userId" FROM notifications WHERE id = ANY($1::bigint[])`, [
      ids,
    ]);
    return rows.map((r) => ({ ...toView(r), userId: r.userId }));
  }
}
