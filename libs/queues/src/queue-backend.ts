import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  type BackendFactory,
  type DefaultJobOptions,
  type IQueueBackend,
  PostgresConnection,
  PostgresQueueBackend,
  type Processor,
  Queue,
  QueueEvents,
  runMigrations,
  Worker,
  type WorkerOptions,
} from 'bullmq';
import pg from 'pg';
import type { QueueBackendName } from '@duban/config';

/** The PostgreSQL schema BullMQ's tables and functions live in, in the application's database. */
export const QUEUE_SCHEMA = 'bullmq';

/** A queue on either backend; Duban uses only the backend-neutral API of it. */
// `any`: queues carry payloads of many shapes; Producer gives them their types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyQueue = Queue<any, any, string, any, any, string, IQueueBackend, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyWorker = Worker<any, any, string, IQueueBackend, any, any>;

/** What a worker may choose; connection and backend come from QueueStore. */
export type QueueWorkerOptions = Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'stalledInterval'>;

/** Where the queues live: the validated environment's QUEUE_BACKEND and what it needs. */
export interface QueueStoreSettings {
  backend: QueueBackendName;
  /** redis: the server; required there. */
  redisUrl?: string;
  /** redis: the key prefix of every queue (QUEUE_PREFIX). */
  prefix: string;
  /** postgres: the application's database, whose schema `bullmq` holds the queues. */
  databaseUrl: string;
  /** postgres: connections this process's queues and workers share (a LISTEN connection comes on top). */
  poolSize: number;
}

/**
 * The one place that knows where BullMQ keeps its queues (issue 20): every Queue and Worker of
 * Duban is made here, on Redis under QUEUE_PREFIX or on BullMQ's PostgreSQL backend in the
 * schema `bullmq` of DATABASE_URL. Nothing else looks at QUEUE_BACKEND to run jobs.
 *
 * On PostgreSQL all queues and workers of a process share one connection (a pool of
 * `poolSize` plus one LISTEN connection through which producers wake workers), so a process
 * holds a bounded number of connections however many queues it has. The schema must have
 * been made by `npm run migrate` (migrateQueueSchema); BullMQ refuses to start otherwise.
 */
export class QueueStore {
  private readonly shared?: PostgresConnection;
  private readonly factory?: BackendFactory<IQueueBackend, unknown>;
  /** Backends on the shared connection, re-subscribed when its LISTEN connection is rebuilt. */
  private readonly listening = new Set<PostgresQueueBackend>();
  private readonly made: AnyQueue[] = [];

  constructor(private readonly settings: QueueStoreSettings) {
    if (settings.backend === 'redis' && !settings.redisUrl) throw new Error('QUEUE_BACKEND redis needs REDIS_URL');
    if (settings.backend !== 'postgres') return;
    const shared = new PostgresConnection({
      connectionString: settings.databaseUrl,
      schema: QUEUE_SCHEMA,
      max: settings.poolSize,
      application_name: 'duban-queues',
      keepAlive: true,
      // Queue bookkeeping commits without waiting for the WAL flush: every claim and finish is a
      // transaction of its own, and on this class of disk (one fsync ≈ 4 ms) waiting for each was
      // what capped a timer burst. A PostgreSQL crash may forget the last fraction of a second of
      // queue changes, never corrupt them: a forgotten finish re-runs its job, as when a worker dies
      // between doing a job and recording it (a timer's firing is claimed in the application's own,
      // durably committed tables, so it still fires once), and a forgotten add is put back by the
      // sweep of the rows it stands for (Producer.restore: timer pump, mail, outbox, webhooks), as
      // for jobs Redis loses.
      options: '-c synchronous_commit=off',
    });
    // An idle pooled client that drops is replaced by the pool, and the query that meets a dead
    // server fails to its caller (a job, the pump); without a listener here the drop would throw.
    shared.on('error', () => undefined);
    shared.setMaxListeners(0);
    // BullMQ re-subscribes only backends that own their connection; these share one, so
    // wake each blocked wait and have it LISTEN again on the rebuilt connection.
    shared.on('listenerinvalidated', () => {
      for (const backend of this.listening) {
        void backend.disconnectBlocking();
        void backend.reconnectBlocking();
      }
    });
    this.shared = shared;
    this.factory = (name, opts, factoryOptions = {}) => {
      const workerName = (opts as { name?: string }).name;
      const listenName = factoryOptions.withBlockingConnection
        ? `${name}${workerName ? `:w:${workerName}` : ''}`
        : factoryOptions.blocking
          ? `${name}:qe`
          : undefined;
      const backend = new PostgresQueueBackend(shared, name, opts as never, false, listenName);
      if (factoryOptions.withBlockingConnection || factoryOptions.blocking) this.listening.add(backend);
      return backend;
    };
  }

  /** A queue to add jobs to, read counts from and keep job schedulers in; closed by close(). */
  queue(name: string, defaultJobOptions?: DefaultJobOptions): AnyQueue {
    const queue = this.factory
      ? new Queue(name, { connection: this.settings.databaseUrl, defaultJobOptions }, this.factory)
      : new Queue(name, { connection: { url: this.settings.redisUrl }, prefix: this.settings.prefix, defaultJobOptions });
    this.made.push(queue as AnyQueue);
    return queue as AnyQueue;
  }

  /** A worker of a queue; its owner closes it (before the database pools close). */
  worker(name: string, processor: Processor, options: QueueWorkerOptions): AnyWorker {
    if (this.factory) return new Worker(name, processor, { connection: this.settings.databaseUrl, ...options }, this.factory) as AnyWorker;
    // A worker's Redis commands must wait out a reconnect, never fail for it (BullMQ's requirement).
    return new Worker(name, processor, { connection: { url: this.settings.redisUrl, maxRetriesPerRequest: null }, prefix: this.settings.prefix, ...options });
  }

  /** A stream of a queue's job events (completed, failed…), for a test or tool that watches jobs; its owner closes it. */
  queueEvents(name: string): QueueEvents {
    if (this.factory) return new QueueEvents(name, { connection: this.settings.databaseUrl }, this.factory) as unknown as QueueEvents;
    return new QueueEvents(name, { connection: { url: this.settings.redisUrl }, prefix: this.settings.prefix });
  }

  /** Closes the queues made here, then the shared PostgreSQL connection. Workers are closed by their owners first. */
  async close(): Promise<void> {
    await Promise.all(this.made.map((queue) => queue.close()));
    this.listening.clear();
    await this.shared?.close();
  }
}

/**
 * Creates or upgrades BullMQ's schema `bullmq` in the database with BullMQ's own migrator
 * (idempotent; concurrent callers wait on its advisory lock). `npm run migrate` runs it
 * whatever QUEUE_BACKEND is, so a deployment may switch to PostgreSQL queues at any time.
 * Returns the schema version.
 */
export async function migrateQueueSchema(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'duban-migrate' });
  await client.connect();
  try {
    return await runMigrations(client, QUEUE_SCHEMA);
  } finally {
    await client.end();
  }
}

/** The api's and worker's QueueStore, from the validated environment. */
@Injectable()
export class AppQueueStore extends QueueStore implements OnApplicationShutdown {
  constructor(@Inject(ConfigService) config: ConfigService) {
    super({
      backend: config.getOrThrow<QueueBackendName>('QUEUE_BACKEND'),
      redisUrl: config.get<string>('REDIS_URL'),
      prefix: config.getOrThrow<string>('QUEUE_PREFIX'),
      databaseUrl: config.getOrThrow<string>('DATABASE_URL'),
      poolSize: config.getOrThrow<number>('QUEUE_POOL_SIZE'),
    });
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}

/** Where the queues live, once per app (the api and the worker import it). */
@Global()
@Module({ providers: [AppQueueStore], exports: [AppQueueStore] })
export class QueueStoreModule {}
