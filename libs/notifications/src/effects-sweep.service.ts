import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Rounds } from '@duban/queues';
import { DataSource } from 'typeorm';
import { MailService } from './mail.service.js';
import { OutboxRelayService } from './outbox-relay.service.js';
import { WebhooksService } from './webhooks.service.js';

/** Only one sweep in the cluster works at a time; the others skip the round. Any fixed number. */
const SWEEP_LOCK = 4_242_003;
/** Work younger than this may still be on its way into Redis: it is not judged lost yet. */
const SETTLE_MS = 5_000;
/** Rows each sweep looks at per round, oldest first; a bigger backlog takes more rounds. */
const LIMIT = 1_000;

/**
 * Every EFFECTS_SWEEP_MS, makes sure the effects PostgreSQL still holds as undone can happen
 * although Redis lost their jobs (a restart without persistence, a failover, a flush) or the jobs
 * failed for good: events not done (the relay's sweep), deliveries under way (the webhooks'
 * sweep) and pending e-mail copies (the mail sweep). Each owner's sweep reads its own rows and
 * asks Producer.restore to put back what Redis does not hold; a PostgreSQL advisory lock makes
 * the round a cluster singleton.
 */
@Injectable()
export class EffectsSweepService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EffectsSweepService.name);
  private readonly rounds = new Rounds('effects sweep', this.logger, () => this.sweep());
  /** Where the next round's page of events and of e-mails begins (see SweepRound). */
  private readonly after = { events: '0', mail: '0' };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(OutboxRelayService) private readonly relay: OutboxRelayService,
    @Inject(WebhooksService) private readonly webhooks: WebhooksService,
    @Inject(MailService) private readonly mail: MailService,
    @Inject(ConfigService) private readonly config: ConfigService,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.getOrThrow<number>('EFFECTS_SWEEP_MS');
    // The first round after one interval: at start-up the relay is still publishing what waited.
    this.rounds.start(every, every);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.rounds.stop();
  }

  /** One round; returns how many jobs each sweep put back (all 0 when another worker holds the round). */
  async sweep(): Promise<{ events: number; deliveries: number; mail: number }> {
    return this.db.transaction(async (tx) => {
      const [{ locked }] = await tx.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [SWEEP_LOCK]);
      if (!locked) return { events: 0, deliveries: 0, mail: 0 };
      const events = await this.relay.sweep(LIMIT, SETTLE_MS, this.after.events);
      const mail = await this.mail.sweep(LIMIT, SETTLE_MS, this.after.mail);
      this.after.events = events.next ?? '0';
      this.after.mail = mail.next ?? '0';
      const put = { events: events.put, deliveries: await this.webhooks.sweep(LIMIT, SETTLE_MS), mail: mail.put };
      if (put.events + put.deliveries + put.mail > 0) {
        this.logger.warn(`effects sweep: put back the jobs the queue lost or that failed for good: ${JSON.stringify(put)}`);
      }
      return put;
    });
  }
}
