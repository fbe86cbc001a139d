import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DbOptions {
  url: string;
  /** Connection pool size per process. */
  poolSize?: number;
  applicationName?: string;
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
    poolSize: options.poolSize ?? 10,
    extra: {
      // A dead database must fail a request quickly instead of queueing it forever.
      connectionTimeoutMillis: 5000,
    },
  };
}

export function createDataSource(options: DbOptions): DataSource {
  return new DataSource(dataSourceOptions(options));
}
