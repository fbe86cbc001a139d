import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '@duban/http';
import { AppRedis } from '@duban/queues';

/**
 * Takes one attempt from both budgets unless either is spent: failures of this username from this
 * address (a counter), and usernames that failed from this address (a hash name → attempts, so its
 * length is the number of names). Taking before the password check, not after, keeps a burst of
 * parallel guesses from all passing the check before the first failure is counted.
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
 * each within LOGIN_RATE_WINDOW_MS, a window that starts at the first failure. The counters live
 * in Redis, so every api instance shares them.
 */
@Injectable()
export class LoginLimiter {
  constructor(
    @Inject(AppRedis) private readonly redis: AppRedis,
    @Inject(ConfigService) private readonly config: ConfigService,
  ) {}

  /** Runs `attempt`; its failure (a throw) keeps the attempt counted, success gives it back. */
  async guard<T>(address: string | undefined, username: string, attempt: () => Promise<T>): Promise<T> {
    const keys = limiterKeys(address, username);
    const blockedMs = await this.call(() =>
      this.redis.eval(
        TAKE,
        2,
        keys.user,
        keys.address,
        this.config.getOrThrow<number>('LOGIN_RATE_LIMIT'),
        this.config.getOrThrow<number>('LOGIN_RATE_WINDOW_MS'),
        keys.name,
      ),
    );
    if (Number(blockedMs) > 0) throw new TooManyLoginFailuresError(Number(blockedMs));
    const result = await attempt();
    await this.call(() => this.redis.eval(GIVE_BACK, 2, keys.user, keys.address, keys.name)).catch(() => undefined);
    return result;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch {
      // Without the counters nobody can tell an attack from a user: refuse rather than let it through.
      throw new ServiceUnavailableException('Login is unavailable for a moment; please try again.');
    }
  }
}

export function limiterKeys(address: string | undefined, username: string): { user: string; address: string; name: string } {
  const bucket = addressBucket(address);
  const name = username.trim().toLowerCase();
  return { user: `login-failures:${bucket}|${name}`, address: `login-failures:${bucket}`, name };
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
