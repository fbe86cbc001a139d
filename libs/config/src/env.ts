import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, Max, MinLength, Min, ValidateIf, validateSync } from 'class-validator';

/**
 * Every command validates only the variables it uses (API.md, "Running it"), so `migrate`
 * runs with nothing but DATABASE_URL and the api never asks for WORKER_PORT.
 */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super('Invalid configuration: ' + problems.map((p) => `${p.variable} ${p.message}`).join('; '));
    this.name = 'ConfigError';
  }
}

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;
const REDIS_URL = /^rediss?:\/\/\S+$/;
const ABSOLUTE_PATH = /^\/\S*$/;

const trimmed = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
const integer = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value));

export class DatabaseEnv {
  @trimmed()
  @Matches(POSTGRES_URL, { message: 'must be a postgres:// URL' })
  DATABASE_URL!: string;
}

/** Where BullMQ keeps queues, jobs and job schedulers (issue 20). */
export const QUEUE_BACKENDS = ['redis', 'postgres'] as const;
export type QueueBackendName = (typeof QUEUE_BACKENDS)[number];

/**
 * What every long-running service (api, worker) needs: PostgreSQL, queues, logs, and Redis
 * when the queues live there (Redis is an accelerator, not a requirement).
 */
export class ServiceEnv extends DatabaseEnv {
  /**
   * Without it nothing of Duban uses Redis: queues live in PostgreSQL (QUEUE_BACKEND), and
   * rate limits, pub/sub and health do without it.
   */
  @ValidateIf((env: ServiceEnv) => env.REDIS_URL !== undefined || env.QUEUE_BACKEND === 'redis')
  @trimmed()
  @IsDefined({ message: 'is required when QUEUE_BACKEND is redis' })
  @Matches(REDIS_URL, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /**
   * redis: BullMQ on REDIS_URL (the faster store, for a large deployment); postgres: BullMQ's
   * PostgreSQL backend in the schema `bullmq` of DATABASE_URL, made by `npm run migrate`, so
   * PostgreSQL is the only service. Default: redis when REDIS_URL is set, postgres otherwise.
   */
  @trimmed()
  @IsIn(QUEUE_BACKENDS, { message: 'must be redis or postgres' })
  QUEUE_BACKEND!: QueueBackendName;

  /** Defaults that depend on other variables, filled by validateEnv before it validates. */
  fillDerivedDefaults(): void {
    this.QUEUE_BACKEND ??= this.REDIS_URL === undefined ? 'postgres' : 'redis';
  }

  /** Every Redis key and pub/sub channel starts with it, so several stacks share one Redis. */
  @trimmed()
  @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'may hold only letters, digits, "_", "." and "-"' })
  QUEUE_PREFIX = 'duban';

  @integer()
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(1000)
  JOB_LOCK_MS = 30000;

  /** First retry delay of a webhook delivery; it doubles with each attempt. */
  @integer()
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(10)
  WEBHOOK_BACKOFF_MS = 5_000;

  /**
   * Host names and IP addresses webhooks may reach although they are loopback, private,
   * link-local or metadata addresses (refused otherwise), comma-separated.
   */
  @IsOptional()
  @trimmed()
  @Matches(/^[A-Za-z0-9.:_[\]-]+(\s*,\s*[A-Za-z0-9.:_[\]-]+)*$/, { message: 'must be a comma-separated list of host names and IP addresses' })
  WEBHOOK_ALLOW_HOSTS?: string;

  @trimmed()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be one of fatal, error, warn, info, debug, trace, silent' })
  LOG_LEVEL = 'info';

  /** PostgreSQL connections one process opens at most (its pool). */
  @integer()
  @IsInt({ message: 'must be a whole number of connections' })
  @Min(1)
  @Max(500)
  DB_POOL_SIZE = 10;

  /**
   * How long a query waits for a free pooled connection before it fails (a request then answers
   * 503): a burst of requests waits its turn instead of failing, and the wait stays bounded.
   */
  @integer()
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(100)
  DB_POOL_WAIT_MS = 30_000;
}

export class ApiEnv extends ServiceEnv {
  @integer()
  @IsInt({ message: 'must be a port number' })
  @Min(0, { message: 'must be a port number' })
  @Max(65535, { message: 'must be a port number' })
  PORT = 3000;

  @trimmed()
  @IsString({ message: 'is required' })
  @MinLength(16, { message: 'must be at least 16 characters' })
  JWT_SECRET!: string;

  @integer()
  @IsInt({ message: 'must be an integer number of seconds' })
  @Min(60)
  JWT_TTL_SECONDS = 28800;

  /**
   * Failed logins allowed per username and client address, and usernames that may fail from one
   * client address, within LOGIN_RATE_WINDOW_MS (from the first failure).
   */
  @integer()
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  @integer()
  @IsInt()
  @Min(1000)
  LOGIN_RATE_WINDOW_MS = 300000;

  @trimmed()
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 512kb or 1mb' })
  BODY_LIMIT = '1mb';

  /**
   * How long one request may take to arrive. A streamed historical import of a million records
   * takes minutes; Node's default (5 min) would cut it off with 408.
   */
  @integer()
  @IsInt()
  @Min(1000)
  REQUEST_TIMEOUT_MS = 3_600_000;

  /** Comma-separated proxy hops to trust for the client address (express "trust proxy"). */
  @IsOptional()
  @trimmed()
  @IsString()
  TRUST_PROXY?: string;
}

export class WorkerEnv extends ServiceEnv {
  @integer()
  @IsInt({ message: 'must be a port number' })
  @Min(0, { message: 'must be a port number' })
  @Max(65535, { message: 'must be a port number' })
  WORKER_PORT = 3001;

  /** Timers due within this window are handed to BullMQ; later ones wait in PostgreSQL only. */
  @integer()
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(1000)
  TIMER_HORIZON_MS = 300_000;

  /** How often the timer pump runs (it must run well within TIMER_HORIZON_MS). */
  @integer()
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(50)
  TIMER_PUMP_INTERVAL_MS = 5_000;

  /**
   * How often undone effects (events, webhook deliveries, e-mail copies) whose jobs Redis lost
   * or that failed for good are queued again.
   */
  @integer()
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(100)
  EFFECTS_SWEEP_MS = 10_000;

  /** How often the worker makes sure its job schedulers (anchors, bulletins, purges) exist in Redis. */
  @integer()
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(100)
  SCHEDULE_CHECK_MS = 60_000;

  /** smtp:// or smtps:// URL of the mail server; without it e-mail is off. */
  @IsOptional()
  @trimmed()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsOptional()
  @trimmed()
  @IsString()
  SMTP_FROM?: string;

  /** How often the audit trail's chain heads are anchored (default once a day). */
  @integer()
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(1000)
  AUDIT_ANCHOR_EVERY_MS = 86_400_000;

  /** Entries younger than this wait for the next anchor, so no transaction in flight is missed. */
  @integer()
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(0)
  AUDIT_ANCHOR_SETTLE_MS = 300_000;

  /** Absolute path of the append-only JSON-lines file each anchor is also written to, out of the database's reach. */
  @IsOptional()
  @trimmed()
  @Matches(ABSOLUTE_PATH, { message: 'must be an absolute file path' })
  AUDIT_ANCHOR_LOG?: string;

  /** An external witness each anchor is POSTed to (JSON) before it commits; a 2xx is required. */
  @IsOptional()
  @trimmed()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http:// or https:// URL' })
  AUDIT_ANCHOR_WITNESS_URL?: string;
}

/** `npm run audit:verify`: the database, and the anchor log to judge its anchors by when there is one. */
export class AuditVerifyEnv extends DatabaseEnv {
  @IsOptional()
  @trimmed()
  @Matches(ABSOLUTE_PATH, { message: 'must be an absolute file path' })
  AUDIT_ANCHOR_LOG?: string;
}

const ROLE = /^[a-z_][a-z0-9_$]{0,62}$/;

/**
 * `npm run migrate`: with AUDIT_OWNER_ROLE, the audit tables are given to that role afterwards
 * and AUDIT_APP_ROLE (the role the api and worker log in as) may only read and append to them.
 */
export class MigrateEnv extends DatabaseEnv {
  @IsOptional()
  @trimmed()
  @Matches(ROLE, { message: 'must be a lower-case PostgreSQL role name' })
  AUDIT_OWNER_ROLE?: string;

  @ValidateIf((env: MigrateEnv) => env.AUDIT_OWNER_ROLE !== undefined)
  @trimmed()
  @Matches(ROLE, { message: 'must be a lower-case PostgreSQL role name (required with AUDIT_OWNER_ROLE)' })
  AUDIT_APP_ROLE?: string;
}

export class SeedEnv extends DatabaseEnv {
  @IsString({ message: 'is required (the password of every demo user)' })
  @MinLength(8, { message: 'must be at least 8 characters' })
  DEMO_PASSWORD!: string;

  /**
   * full: the Shaoguan organisation, its 2023 plan and hotline tickets besides admin, calendar
   * and workflows; base: admin, calendar and workflows only (tests build their own organisation).
   */
  @IsIn(['full', 'base'], { message: 'must be full or base' })
  DEMO_SCOPE: 'full' | 'base' = 'full';

  /** The plan text imported as the demo's 2023 plan; the copy of seed 004 in the repository when unset. */
  @IsOptional()
  @IsString()
  DEMO_PLAN_FILE?: string;
}

export class ImportEnv extends DatabaseEnv {
  /** The admin the audit trail names for `npm run import`. */
  @IsString()
  IMPORT_USER = 'admin';
}

type Schema<T> = new () => T;

/** Validates and converts raw environment strings; throws ConfigError naming each bad variable. */
export function validateEnv<T extends object>(schema: Schema<T>, raw: Record<string, unknown>): T {
  // An empty variable counts as unset, so `PORT=` falls back to the default like a missing one.
  const set = Object.fromEntries(Object.entries(raw).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')));
  const env = plainToInstance(schema, set, { exposeDefaultValues: true });
  if (env instanceof ServiceEnv) env.fillDerivedDefaults();
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => ({
        variable: e.property,
        message: e.value === undefined ? (e.constraints?.isDefined ?? 'is required') : (Object.values(e.constraints ?? {})[0] ?? 'is invalid').replace(new RegExp(`^${e.property} `), ''),
      })),
    );
  }
  return env;
}
