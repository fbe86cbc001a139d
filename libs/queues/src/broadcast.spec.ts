import { describe, expect, it } from '@jest/globals';
import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Broadcast, BROADCAST_MAX_BYTES, broadcastBatches, BroadcastPayloadTooLargeError, notifyChannel, PgBroadcast, RedisBroadcast } from './broadcast.js';
import { AppRedis, RedisModule } from './redis.js';

const queries: unknown[][] = [];

/** TypeORM's data source as RedisModule sees it: one that records its queries. */
@Global()
@Module({
  providers: [{ provide: getDataSourceToken(), useValue: { query: async (...args: unknown[]) => queries.push(args) } as unknown as DataSource }],
  exports: [getDataSourceToken()],
})
class RecordingDataSourceModule {}

/** RedisModule's providers for an environment. */
async function compiled(env: Record<string, string>) {
  const config = ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    ignoreEnvVars: true,
    // Only `env` counts: CI exports REDIS_URL, which ConfigService would otherwise read from process.env.
    skipProcessEnv: true,
    load: [() => ({ QUEUE_PREFIX: 'bc', DATABASE_URL: 'postgres://x@127.0.0.1:1/x', ...env })],
  });
  return Test.createTestingModule({ imports: [config, RecordingDataSourceModule, RedisModule] }).compile();
}

describe('RedisModule', () => {
  it('broadcasts through PostgreSQL NOTIFY, and provides no Redis client, when REDIS_URL is unset', async () => {
    const app = await compiled({});
    try {
      expect(app.get(AppRedis)).toBeNull();
      const broadcast = app.get(Broadcast);
      expect(broadcast).toBeInstanceOf(PgBroadcast);
      queries.length = 0;
      await broadcast.publish('notifications', '[{"id":"1","userId":"u"}]');
      expect(queries).toEqual([['SELECT pg_notify($1, $2)', ['bc:notifications', '[{"id":"1","userId":"u"}]']]]);
    } finally {
      await app.close();
    }
  });

  it('broadcasts through Redis pub/sub, with the application’s Redis client, when REDIS_URL is set', async () => {
    // Nothing listens on port 1: the client is made, not used.
    const app = await compiled({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      expect(app.get(AppRedis)).toBeInstanceOf(AppRedis);
      expect(app.get(Broadcast)).toBeInstanceOf(RedisBroadcast);
    } finally {
      await app.close();
    }
  });
});

describe('broadcastBatches', () => {
  it('sends a few ids as one message', () => expect(broadcastBatches([{ id: '1' }, { id: '2' }])).toEqual(['[{"id":"1"},{"id":"2"}]']));

  it('splits a burst into JSON arrays each within NOTIFY’s limit, keeping every item in order', () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ id: String(1_000_000 + i), userId: '0b6c2f4e-8a1d-4c3b-9e5f-7a2d1c0b9e8f' }));
    const batches = broadcastBatches(items);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(Buffer.byteLength(batch)).toBeLessThanOrEqual(BROADCAST_MAX_BYTES);
    expect(batches.flatMap((b) => JSON.parse(b) as unknown[])).toEqual(items);
  });

  it('gives nothing for nothing', () => expect(broadcastBatches([])).toEqual([]));
});

describe('the broadcast limits', () => {
  it('refuses a payload over 7999 bytes before it reaches PostgreSQL', async () => {
    const db = { query: async () => expect('no query').toBe('made') } as unknown as DataSource;
    await expect(new PgBroadcast(db, 'postgres://x@127.0.0.1:1/x', 'bc').publish('notifications', 'x'.repeat(8000))).rejects.toBeInstanceOf(
      BroadcastPayloadTooLargeError,
    );
  });

  it('names a NOTIFY channel by prefix and topic, or by a digest when that exceeds 63 bytes', () => {
    expect(notifyChannel('duban', 'sessions')).toBe('duban:sessions');
    const long = notifyChannel('p'.repeat(60), 'notifications');
    expect(long).toMatch(/^duban:[0-9a-f]{40}$/);
    expect(notifyChannel('p'.repeat(60), 'sessions')).not.toBe(long);
  });
});
