import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectProducer, type Producer } from '@duban/queues';
import nodemailer, { type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
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
 * goes through the mail queue, so a slow or failing mail server delays no firing.
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

  /** Queues a copy of each notice whose user has an e-mail address. */
  async enqueue(notificationIds: string[]): Promise<void> {
    if (!this.transport || notificationIds.length === 0) return;
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT n.id::text AS id FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = ANY($1::bigint[]) AND u.email IS NOT NULL`,
      [notificationIds],
    );
    if (rows.length === 0) return;
    await this.queue.addBulk(rows.map((r) => ({ name: 'send', data: { notificationId: r.id } })));
  }

  async send(notificationId: string): Promise<void> {
    if (!this.transport) return;
    const [n] = await this.db.query<MailRow[]>(
      `SELECT n.title, n.body, u.email, u.display_name FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = $1`,
      [notificationId],
    );
    if (!n?.email) return;
    await this.transport.sendMail({
      from: this.config.get<string>('SMTP_FROM') ?? 'Duban 督办 <duban@localhost>',
      to: { name: n.display_name, address: n.email },
      subject: n.title,
      text: n.body,
      headers: { 'X-Duban-Notification': notificationId },
    });
  }
}
