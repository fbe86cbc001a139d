import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { AppRedis } from '@duban/queues';

// Fixed window per key: INCR, start the window on the first hit, and block for blockDuration
// once the limit is passed. One round trip, atomic across every api instance.
const INCREMENT = `
local blocked = redis.call('PTTL', KEYS[2])
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
return {hits, ttl, blocked}
`;

/** Rate-limit counters in Redis, so N api instances share one count per username and address. */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(@Inject(AppRedis) private readonly redis: AppRedis) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    const base = `throttle:${throttlerName}:${key}`;
    let reply: [number, number, number];
    try {
      reply = (await this.redis.eval(INCREMENT, 2, `${base}:hits`, `${base}:block`, ttl, limit, blockDuration || ttl)) as [number, number, number];
    } catch {
      // Without the counter nobody can tell an attack from a user: refuse rather than let it through.
      throw new ServiceUnavailableException('Login is unavailable for a moment; please try again.');
    }
    const [totalHits, ttlMs, blockMs] = reply;
    return {
      totalHits,
      timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
      isBlocked: blockMs > 0,
      timeToBlockExpire: Math.max(0, Math.ceil(blockMs / 1000)),
    };
  }
}
