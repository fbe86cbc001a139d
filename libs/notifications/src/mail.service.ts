import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectProducer, type Producer } from '@duban/queues';
import { UnrecoverableError } from 'bullmq';
import nodemailer, { type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import type { SweepRound } from './sweep-round.js';
import { MAIL_QUEUE, type MailJobs } from './mail.queue.js';

/** A notice and its user's address, as one e-mail copy reads them. */
interface MailRow {
  title: string;
  body: string;
  email: string | null;
  display_name: string;
}

/**
 * E-mail copies of inbox notices, when SMTP_URL is set and the user has an address. Sending
 * goes through the mail queue, so a slow or failing mail server delays no firing. The notice's
 * `mail_pending`, written with the notice, is the truth of what is still to send: `send` clears
 * it, and `sweep` queues again the copies whose jobs Redis lost or that failed for good.
 */
@Injectable()
export class MailService implements OnModuleInit {
  private readonly logger = new Logger(MailService.name);
  private transport?: Transporter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectProducer(MAIL_QUEUE) private readonly queue: Producer<MailJobs>,
    @Inject(ConfigService) private readonly config: ConfigService,
  ) {}

  onModuleInit(): void {
    const url = this.config.get<string>('SMTP_URL');
    if (!url) {
      this.logger.log('e-mail is off: SMTP_URL is not set');
      return;
    }
    this.transport = nodemailer.createTransport(url);
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  /** Queues the copy of each of these notices whose copy is pending. */
  async enqueue(notificationIds: string[]): Promise<void> {
    if (!this.transport || notificationIds.length === 0) return;
    const rows = await this.db.query<{ id: string }[]>(`SELECT id::text AS id FROM notifications WHERE id = ANY($1::bigint[]) AND mail_pending`, [
      notificationIds,
    ]);
    if (rows.length === 0) return;
    await this.queue.addBulk(rows.map((r) => ({ name: 'send', data: { notificationId: r.id } })));
  }

  /**
   * Sends the copy of one notice if it is still pending: a job the sweep queued again just after
   * an earlier job sent it (and was removed) finds it sent and does nothing.
   */
  async send(notificationId: string): Promise<void> {
    if (!this.transport) return;
    const [n] = await this.db.query<MailRow[]>(
      `SELECT n.title, n.body, u.email, u.display_name FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = $1 AND n.mail_pending`,
      [notificationId],
    );
    if (!n) return;
    let refused: Error | undefined;
    if (n.email) {
      try {
        await this.transport.sendMail({
          from: this.config.get<string>('SMTP_FROM') ?? 'Duban 督办 <duban@localhost>',
          to: { name: n.display_name, address: n.email },
          subject: n.title,
          text: n.body,
          headers: { 'X-Duban-Notification': notificationId },
        });
      } catch (err) {
        // A 5xx reply is the server's final word (no such mailbox, refused): retrying would only
        // keep the sweep busy forever. Anything else (4xx, a dropped connection) is retried.
        const code = (err as { responseCode?: number }).responseCode;
        if (code === undefined || code < 500 || code > 599) throw err;
        refused = err as Error;
      }
    }
    // Sent, refused for good, or nothing to send to (the address was removed meanwhile): nothing is pending any more.
    await this.db.query(`UPDATE notifications SET mail_pending = false WHERE id = $1 AND mail_pending`, [notificationId]);
    if (refused) throw new UnrecoverableError(`the mail server refused notice ${notificationId} for good: ${refused.message}`);
  }

  /**
   * Queues again, of the pending copies of notices at least `settleMs` old (PostgreSQL's clock)
   * with ids above `after`, at most `limit` in id order, those whose jobs Redis lost or that
   * failed for good. Returns how many jobs it put back and where to go on (SweepRound); nothing
   * when e-mail is off here.
   */
  async sweep(limit: number, settleMs: number, after = '0'): Promise<SweepRound> {
    if (!this.transport) return { put: 0, next: null };
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id::text AS id FROM notifications
        WHERE mail_pending AND created_at < now() - make_interval(secs => $1::double precision / 1000) AND id > $3::bigint
        ORDER BY id LIMIT $2`,
      [settleMs, limit, after],
    );
    const { lost, failed } = await this.queue.restore(rows.map((r) => ({ name: 'send' as const, data: { notificationId: r.id } })));
    return { put: lost + failed, next: rows.length === limit ? rows.at(-1)!.id : null };
  }
}
