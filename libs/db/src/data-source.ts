import 'reflect-metadata';
import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DbOptions {
  url: string;
  /** Connection pool size per process (DB_POOL_SIZE). */
  poolSize?: number;
  /**
   * How long a query waits for a free pooled connection before it fails (DB_POOL_WAIT_MS): a
   * burst of requests waits its turn instead of failing; the wait stays bounded.
   */
  poolWaitMs?: number;
  applicationName?: string;
}

/** As DB_POOL_SIZE and DB_POOL_WAIT_MS default (libs/config), for commands that do not read them. */
const DEFAULT_POOL_SIZE = 10;
const DEFAULT_POOL_WAIT_MS = 30_000;

/** A connection PostgreSQL has not accepted within this long fails: a dead database fails a request quickly. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * pg's client with its own connect timeout: the pool gives its clients its `connectionTimeoutMillis`,
 * which here is how long a query waits for a free connection, a different and longer bound.
 */
class BoundedConnectClient extends pg.Client {
  constructor(config: pg.ClientConfig) {
    super({ ...config, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  }
}

/**
 * The one description of how Duban talks to PostgreSQL. The schema is owned by the
 * migrations alone: `synchronize` stays off everywhere, and `migrationsRun` too, so that
 * starting an app never changes the schema behind the operator's back.
 */
export function dataSourceOptions(options: DbOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension is created at run time.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    applicationName: options.applicationName ?? 'duban',
    poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
    extra: {
      // pg-pool: how long a checkout waits in line (a request in a burst), and new connections too,
      // which BoundedConnectClient cuts short.
      connectionTimeoutMillis: options.poolWaitMs ?? DEFAULT_POOL_WAIT_MS,
      Client: BoundedConnectClient,
    },
  };
}

export function createDataSource(options: DbOptions): DataSource {
  return new DataSource(dataSourceOptions(options));
}
