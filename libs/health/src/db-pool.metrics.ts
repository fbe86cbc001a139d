import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '@duban/http';
import { DataSource } from 'typeorm';

type Checkout = (err: Error | undefined, client: pg.PoolClient | undefined, release: (err?: Error | boolean) => void) => void;

/**
 * This process's PostgreSQL pool on /metrics: how long each checkout waited for a connection
 * (`duban_db_pool_wait_seconds`: a burst of requests waits there, up to DB_POOL_WAIT_MS), and the
 * connections open and idle and the checkouts waiting now. Listed as a provider by each app.
 */
@Injectable()
export class DbPoolMetrics implements OnModuleInit {
  constructor(
    @Inject(MetricsRegistry) private readonly registry: MetricsRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    // TypeORM's Postgres driver keeps its pg pool as `master` and checks connections out with
    // connect(callback); pg-pool reports no wait times, so the checkout is timed here.
    const pool = (this.db.driver as unknown as { master: pg.Pool }).master;
    const wait = new Histogram({
      name: 'duban_db_pool_wait_seconds',
      help: 'How long a checkout waited for a PostgreSQL connection from the pool (a new connection included)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    const connect = pool.connect.bind(pool) as unknown as (callback: Checkout) => void;
    const timed = (callback: Checkout) => {
      const stop = wait.startTimer();
      connect((err, client, release) => {
        stop();
        callback(err, client, release);
      });
    };
    pool.connect = ((callback?: Checkout) => {
      if (callback) return timed(callback);
      return new Promise<pg.PoolClient>((resolve, reject) => timed((err, client) => (err ? reject(err) : resolve(client!))));
    }) as typeof pool.connect;
    new Gauge({
      name: 'duban_db_pool_connections',
      help: 'Connections of the PostgreSQL pool by state (open, idle), and checkouts waiting for one (waiting)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        this.set({ state: 'open' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
}
