import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MinLength, Min, validateSync } from 'class-validator';

/**
 * Every command validates only the variables it uses (API.md, "Running it"), so `migrate`
 * runs with nothing but DATABASE_URL and the api never asks for WORKER_PORT.
 */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration: ' +
        problems.map((p) => `${p.variable} ${p.message}`).join('; '),
    );
    this.name = 'ConfigError';
  }
}

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;
const REDIS_URL = /^rediss?:\/\/\S+$/;

const trimmed = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.trim() || undefined : value));
const integer = (fallback?: number) =>
  Transform(({ value }) => {
    if (value === undefined || value === '') return fallback;
    return /^-?\d+$/.test(String(value).trim()) ? Number(value) : value;
  });

export class DatabaseEnv {
  @trimmed()
  @Matches(POSTGRES_URL, { message: 'must be a postgres:// URL' })
  DATABASE_URL!: string;
}

export class RedisEnv extends DatabaseEnv {
  @trimmed()
  @Matches(REDIS_URL, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  /** Every Redis key and pub/sub channel starts with it, so several stacks share one Redis. */
  @Transform(({ value }) => (typeof value === 'string' && value.trim() ? value.trim() : 'duban'))
  @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'may hold only letters, digits, "_", "." and "-"' })
  QUEUE_PREFIX!: string;

  @integer(30000)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(1000)
  JOB_LOCK_MS!: number;
}

export class ApiEnv extends RedisEnv {
  @integer(3000)
  @IsInt({ message: 'must be a port number' })
  @Min(0)
  @Max(65535)
  PORT!: number;

  @trimmed()
  @IsString({ message: 'is required' })
  @MinLength(16, { message: 'must be at least 16 characters' })
  JWT_SECRET!: string;

  @integer(28800)
  @IsInt({ message: 'must be an integer number of seconds' })
  @Min(60)
  JWT_TTL_SECONDS!: number;

  /** Login attempts allowed per username and client address within LOGIN_RATE_WINDOW_MS. */
  @integer(10)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT!: number;

  @integer(300000)
  @IsInt()
  @Min(1000)
  LOGIN_RATE_WINDOW_MS!: number;

  @Transform(({ value }) => (typeof value === 'string' && value.trim() ? value.trim() : '1mb'))
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 512kb or 1mb' })
  BODY_LIMIT!: string;

  /** Comma-separated proxy hops to trust for the client address (express "trust proxy"). */
  @IsOptional()
  @trimmed()
  @IsString()
  TRUST_PROXY?: string;
}

export class WorkerEnv extends RedisEnv {
  @integer(3001)
  @IsInt({ message: 'must be a port number' })
  @Min(0)
  @Max(65535)
  WORKER_PORT!: number;
}

export class SeedEnv extends DatabaseEnv {
  @IsString({ message: 'is required (the password of every demo user)' })
  @MinLength(8, { message: 'must be at least 8 characters' })
  DEMO_PASSWORD!: string;
}

type Schema<T> = new () => T;

/** Validates and converts raw environment strings; throws ConfigError naming each bad variable. */
export function validateEnv<T extends object>(schema: Schema<T>, raw: Record<string, unknown>): T {
  const env = plainToInstance(schema, { ...raw }, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => ({
        variable: e.property,
        message:
          e.value === undefined
            ? 'is required'
            : Object.values(e.constraints ?? {})[0] ?? 'is invalid',
      })),
    );
  }
  return env;
}
