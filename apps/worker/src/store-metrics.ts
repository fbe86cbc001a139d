import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from '@duban/http';
import { DataSource } from 'typeorm';

/** What waits in PostgreSQL, read when Prometheus scrapes: live timers and the outbox lag. */
@Injectable()
export class StoreMetrics implements OnModuleInit {
  constructor(
    @Inject(MetricsRegistry) private readonly registry: MetricsRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    const db = this.db;
    new Gauge({
      name: 'duban_timers_live',
      help: 'Timers not yet fired, by status (pending: in PostgreSQL only; enqueued: also in BullMQ)',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        this.set({ status: 'pending' }, 0);
        this.set({ status: 'enqueued' }, 0);
        const rows = await db.query<{ status: string; n: number }[]>(
          `SELECT status, count(*)::int AS n FROM timers WHERE status IN ('pending', 'enqueued') GROUP BY status`,
        );
        for (const r of rows) this.set({ status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'duban_outbox_lag_seconds',
      help: 'Age of the oldest outbox event not yet handed to BullMQ (0 when none waits)',
      registers: [this.registry],
      async collect() {
        const [row] = await db.query<{ lag: number }[]>(
          `SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS lag FROM outbox WHERE dispatched_at IS NULL`,
        );
        this.set(row.lag);
      },
    });
  }
}
