import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import { createDataSource } from '@duban/db';
import type { DataSource } from 'typeorm';
import { type LoginLimiter, PgLoginLimiter, TooManyLoginFailuresError } from '../apps/api/src/auth/login-limiter.js';
import { createTestEnv, type TestEnv } from './support/test-env.js';

const LIMIT = 5;

/** The limiter's view of LOGIN_RATE_LIMIT and LOGIN_RATE_WINDOW_MS. */
const config = (windowMs: number) =>
  ({ getOrThrow: (name: string) => ({ LOGIN_RATE_LIMIT: LIMIT, LOGIN_RATE_WINDOW_MS: windowMs })[name] }) as unknown as ConfigService;

const wrong = async (): Promise<never> => {
  throw new Error('wrong password');
};

/** The outcome of one login through the limiter: ok, 401 (a wrong password) or 429 (refused before checking). */
async function outcome(limiter: LoginLimiter, address: string, username: string, succeeds = false): Promise<'ok' | 401 | 429> {
  try {
    await limiter.guard(address, username, succeeds ? async () => 'token' : wrong);
    return 'ok';
  } catch (err) {
    if (err instanceof TooManyLoginFailuresError) return 429;
    return 401;
  }
}

describe('login limits counted in PostgreSQL (no Redis)', () => {
  let testEnv: TestEnv;
  let db: DataSource;
  let limiter: PgLoginLimiter;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    db = createDataSource({ url: testEnv.databaseUrl, poolSize: 25 });
    await db.initialize();
    limiter = new PgLoginLimiter(db, config(60_000));
  });

  afterAll(async () => {
    await db?.destroy();
    await testEnv?.dispose();
  });

  it('refuses the 6th failure of one username from one address, saying when to retry, and lets another address in', async () => {
    const results = [];
    for (let i = 0; i < LIMIT + 1; i++) results.push(await outcome(limiter, '198.51.100.1', 'wang.lei'));
    expect(results).toEqual([401, 401, 401, 401, 401, 429]);
    const refused = await limiter.guard('198.51.100.1', 'Wang.Lei ', wrong).catch((err: TooManyLoginFailuresError) => err);
    expect(refused).toBeInstanceOf(TooManyLoginFailuresError);
    expect((refused as TooManyLoginFailuresError).extensions.retryAfterSeconds).toBeGreaterThan(50);
    expect((refused as TooManyLoginFailuresError).extensions.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await outcome(limiter, '198.51.100.2', 'wang.lei', true)).toBe('ok');
  });

  it('refuses an address that failed with 5 usernames, for every username', async () => {
    for (let i = 0; i < LIMIT; i++) expect(await outcome(limiter, '198.51.100.3', `name-${i}`)).toBe(401);
    expect(await outcome(limiter, '198.51.100.3', 'someone-else', true)).toBe(429);
  });

  it('does not count successful logins', async () => {
    for (let i = 0; i < 3 * LIMIT; i++) expect(await outcome(limiter, '198.51.100.4', 'li.na', true)).toBe('ok');
    expect(await db.query(`SELECT * FROM login_failures WHERE bucket = '198.51.100.4'`)).toEqual([]);
  });

  it('lets exactly 5 of 20 parallel guesses reach the password check, across connections', async () => {
    let checked = 0;
    const guess = () =>
      limiter.guard('198.51.100.5', 'zhao.min', async () => {
        checked += 1;
        throw new Error('wrong password');
      });
    const settled = await Promise.allSettled(Array.from({ length: 20 }, guess));
    expect(checked).toBe(LIMIT);
    expect(settled.filter((s) => s.status === 'rejected' && s.reason instanceof TooManyLoginFailuresError)).toHaveLength(20 - LIMIT);
  });

  it('forgets failures when their window ends, and deletes the expired rows', async () => {
    for (let i = 0; i < LIMIT; i++) expect(await outcome(limiter, '198.51.100.6', 'chen.jie')).toBe(401);
    expect(await outcome(limiter, '198.51.100.6', 'chen.jie')).toBe(429);
    // The window's end, moved to now rather than waited for.
    await db.query(`UPDATE login_failures SET expires_at = now() WHERE bucket = '198.51.100.6'`);
    expect(await outcome(limiter, '198.51.100.6', 'chen.jie', true)).toBe('ok');
    expect(await db.query(`SELECT attempts FROM login_failures WHERE bucket = '198.51.100.6'`)).toEqual([]);
  });
});
