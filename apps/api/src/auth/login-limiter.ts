import { ServiceUnavailableException } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { DomainError } from '@duban/http';
import type { AppRedis } from '@duban/queues';
import type { DataSource } from 'typeorm';

/** How often (ms) one api process deletes every expired row, besides those of the address it is counting. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Redis: takes one attempt from both budgets unless either is spent: failures of this username from
 * this address (a counter), and usernames that failed from this address (a hash name → attempts, so
 * its length is the number of names). Returns 0 or the milliseconds until an attempt is free.
 */
const TAKE = `
local limit = tonumber(ARGV[1])
local user = tonumber(redis.call('GET', KEYS[1]) or '0')
if user >= limit or redis.call('HLEN', KEYS[2]) >= limit then
  return math.max(redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2]), 1)
end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
if redis.call('PTTL', KEYS[2]) < 0 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 0
`;

/** A successful login gives its attempt back: only failures count. */
const GIVE_BACK = `
if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end
if redis.call('HINCRBY', KEYS[2], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
return 0
`;

export class TooManyLoginFailuresError extends DomainError.of(429, 'too-many-login-failures', 'Too Many Requests') {
  constructor(retryAfterMs: number) {
    super('登录失败次数过多，请稍后再试。Too many failed logins; try again later.');
    this.extensions.retryAfterSeconds = Math.ceil(retryAfterMs / 1000);
  }
}

/**
 * Login failures are limited per username and client address (guessing one user's password) and
 * per client address over usernames (spraying one password over many names): LOGIN_RATE_LIMIT of
 * each within LOGIN_RATE_WINDOW_MS, a window that starts at the first failure. The counts are
 * shared by every api instance: in Redis when REDIS_URL is set, else in PostgreSQL (AuthModule
 * chooses). Redis stays the choice when present: measured here, a login's count costs about
 * 0.1 ms there and 2 to 9 ms in PostgreSQL (README, "Two modes").
 */
export abstract class LoginLimiter {
  constructor(protected readonly config: ConfigService) {}

  /** Runs `attempt`; its failure (a throw) keeps the attempt counted, success gives it back. */
  async guard<T>(address: string | undefined, username: string, attempt: () => Promise<T>): Promise<T> {
    const keys = limiterKeys(address, username);
    const limit = this.config.getOrThrow<number>('LOGIN_RATE_LIMIT');
    const windowMs = this.config.getOrThrow<number>('LOGIN_RATE_WINDOW_MS');
    const blockedMs = await this.call(() => this.take(keys.bucket, keys.name, limit, windowMs));
    if (blockedMs > 0) throw new TooManyLoginFailuresError(blockedMs);
    const result = await attempt();
    await this.call(() => this.giveBack(keys.bucket, keys.name)).catch(() => undefined);
    return result;
  }

  /**
   * Takes one attempt from both budgets unless either is spent; returns 0, or the milliseconds
   * until an attempt is free again. Taking before the password check, not after, keeps a burst of
   * parallel guesses from all passing the check before the first failure is counted.
   */
  protected abstract take(bucket: string, name: string, limit: number, windowMs: number): Promise<number>;

  /** A successful login gives its attempt back: only failures count. */
  protected abstract giveBack(bucket: string, name: string): Promise<void>;

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch {
      // Without the counts nobody can tell an attack from a user: refuse rather than let it through.
      throw new ServiceUnavailableException('Login is unavailable for a moment; please try again.');
    }
  }
}

/** The counts in Redis: a counter per address and username, a hash name → attempts per address. */
export class RedisLoginLimiter extends LoginLimiter {
  constructor(
    private readonly redis: AppRedis,
    config: ConfigService,
  ) {
    super(config);
  }

  protected async take(bucket: string, name: string, limit: number, windowMs: number): Promise<number> {
    return Number(await this.redis.eval(TAKE, 2, `login-failures:${bucket}|${name}`, `login-failures:${bucket}`, limit, windowMs, name));
  }

  protected async giveBack(bucket: string, name: string): Promise<void> {
    await this.redis.eval(GIVE_BACK, 2, `login-failures:${bucket}|${name}`, `login-failures:${bucket}`, name);
  }
}

/**
 * The counts in PostgreSQL's login_failures (an unlogged table: counts are worth no WAL flush, and
 * a crash that empties them only gives every address a fresh budget): a row per address and
 * username, its window running from that username's first failure. The address's advisory lock
 * makes the look and the count one step across api instances. Expired rows of the address go on
 * each take, all expired rows once a minute.
 */
export class PgLoginLimiter extends LoginLimiter {
  private lastSweep = 0;

  constructor(
    private readonly db: DataSource,
    config: ConfigService,
  ) {
    super(config);
  }

  protected async take(bucket: string, name: string, limit: number, windowMs: number): Promise<number> {
    if (Date.now() - this.lastSweep > SWEEP_EVERY_MS) {
      this.lastSweep = Date.now();
      void this.db.query(`DELETE FROM login_failures WHERE expires_at <= now()`).catch(() => undefined);
    }
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('login-failures'), hashtext($1))`, [bucket]);
      await tx.query(`DELETE FROM login_failures WHERE bucket = $1 AND expires_at <= now()`, [bucket]);
      const [counts] = await tx.query<{ mine: number; names: number; mine_left: number; first_left: number }[]>(
        `SELECT coalesce(max(attempts) FILTER (WHERE username = $2), 0)::int AS mine,
                count(*) FILTER (WHERE attempts > 0)::int AS names,
                coalesce(ceil(extract(epoch FROM max(expires_at) FILTER (WHERE username = $2) - now()) * 1000), 0)::int AS mine_left,
                coalesce(ceil(extract(epoch FROM min(expires_at) FILTER (WHERE attempts > 0) - now()) * 1000), 0)::int AS first_left
           FROM login_failures WHERE bucket = $1`,
        [bucket, name],
      );
      const { mine, names, mine_left: mineLeft, first_left: firstLeft } = counts!;
      if (mine >= limit || names >= limit) return Math.max(mine >= limit ? mineLeft : 0, names >= limit ? firstLeft : 0, 1);
      await tx.query(
        `INSERT INTO login_failures (bucket, username, attempts, expires_at) VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
         ON CONFLICT (bucket, username) DO UPDATE SET attempts = login_failures.attempts + 1`,
        [bucket, name, windowMs],
      );
      return 0;
    });
  }

  protected async giveBack(bucket: string, name: string): Promise<void> {
    await this.db.query(
      `WITH gone AS (DELETE FROM login_failures WHERE bucket = $1 AND username = $2 AND attempts <= 1)
       UPDATE login_failures SET attempts = attempts - 1 WHERE bucket = $1 AND username = $2 AND attempts > 1`,
      [bucket, name],
    );
  }
}

/** Where a login attempt is counted: the client address bucket, and the username as limits compare it. */
export function limiterKeys(address: string | undefined, username: string): { bucket: string; name: string } {
  return { bucket: addressBucket(address), name: username.trim().toLowerCase() };
}
/**
 * The client address as the limits count it: an IPv4 address (also IPv4-mapped IPv6) as is, an
 * IPv6 address by its /64, since one host commonly holds a whole /64 and could otherwise take a
 * fresh budget for every guess.
 */
export function addressBucket(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const address = ip.split('%')[0]!.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}
