import { describe, expect, it } from '@jest/globals';
import { ApiEnv, AuditVerifyEnv, ConfigError, DatabaseEnv, MigrateEnv, validateEnv, WorkerEnv } from './env.js';

const api = {
  DATABASE_URL: 'postgres://u@127.0.0.1:5432/duban',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'a-secret-of-enough-length',
};

function problems(schema: new () => object, raw: Record<string, string>): string[] {
  try {
    validateEnv(schema, raw);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.variable} ${p.message}`);
    throw err;
  }
  return [];
}

describe('validateEnv', () => {
  it('fills the documented defaults and converts numbers', () => {
    const env = validateEnv(ApiEnv, { ...api, PORT: '8080' });
    expect(env).toMatchObject({ PORT: 8080, QUEUE_PREFIX: 'duban', JOB_LOCK_MS: 30000, BODY_LIMIT: '1mb', LOG_LEVEL: 'info' });
  });

  it('treats an empty variable as unset', () => {
    expect(validateEnv(WorkerEnv, { ...api, WORKER_PORT: '' }).WORKER_PORT).toBe(3001);
  });

  it('names each missing or malformed variable', () => {
    expect(problems(ApiEnv, { DATABASE_URL: 'mysql://x', PORT: '99999' })).toEqual(
      expect.arrayContaining(['DATABASE_URL must be a postgres:// URL', 'JWT_SECRET is required', 'PORT must be a port number']),
    );
  });

  it('keeps the queues in Redis when REDIS_URL is set and in PostgreSQL otherwise, unless QUEUE_BACKEND says', () => {
    expect(validateEnv(WorkerEnv, { DATABASE_URL: api.DATABASE_URL, REDIS_URL: api.REDIS_URL }).QUEUE_BACKEND).toBe('redis');
    expect(validateEnv(WorkerEnv, { DATABASE_URL: api.DATABASE_URL }).QUEUE_BACKEND).toBe('postgres');
    expect(validateEnv(WorkerEnv, { DATABASE_URL: api.DATABASE_URL, REDIS_URL: '' }).QUEUE_BACKEND).toBe('postgres');
    expect(validateEnv(WorkerEnv, { DATABASE_URL: api.DATABASE_URL, REDIS_URL: api.REDIS_URL, QUEUE_BACKEND: 'postgres' }).QUEUE_BACKEND).toBe('postgres');
    expect(problems(WorkerEnv, { DATABASE_URL: api.DATABASE_URL, QUEUE_BACKEND: 'redis' })).toEqual(['REDIS_URL is required when QUEUE_BACKEND is redis']);
    expect(problems(WorkerEnv, { DATABASE_URL: api.DATABASE_URL, QUEUE_BACKEND: 'kafka' })).toEqual(['QUEUE_BACKEND must be redis or postgres']);
    expect(problems(WorkerEnv, { DATABASE_URL: api.DATABASE_URL, QUEUE_BACKEND: 'postgres', REDIS_URL: 'localhost:6379' })).toEqual([
      'REDIS_URL must be a redis:// or rediss:// URL',
    ]);
  });

  it('asks each command only for what it uses', () => {
    expect(problems(DatabaseEnv, { DATABASE_URL: api.DATABASE_URL })).toEqual([]);
    expect(problems(ApiEnv, api)).toEqual([]);
    expect(problems(WorkerEnv, { DATABASE_URL: api.DATABASE_URL, REDIS_URL: api.REDIS_URL })).toEqual([]);
    expect(problems(ApiEnv, { DATABASE_URL: api.DATABASE_URL, JWT_SECRET: api.JWT_SECRET })).toEqual([]);
  });

  it('refuses a QUEUE_PREFIX that would break Redis key patterns', () => {
    expect(problems(WorkerEnv, { ...api, QUEUE_PREFIX: 'a b*' })).toEqual(['QUEUE_PREFIX may hold only letters, digits, "_", "." and "-"']);
  });

  it('reads WEBHOOK_ALLOW_HOSTS as a list of hosts and refuses anything else', () => {
    expect(validateEnv(WorkerEnv, { ...api, WEBHOOK_ALLOW_HOSTS: 'localhost, 10.1.2.3,hooks.internal,[::1]' }).WEBHOOK_ALLOW_HOSTS).toBe(
      'localhost, 10.1.2.3,hooks.internal,[::1]',
    );
    expect(problems(ApiEnv, { ...api, WEBHOOK_ALLOW_HOSTS: 'http://a/b' })).toEqual([
      'WEBHOOK_ALLOW_HOSTS must be a comma-separated list of host names and IP addresses',
    ]);
  });

  it('asks migrate for AUDIT_APP_ROLE only when AUDIT_OWNER_ROLE hands the audit tables away', () => {
    expect(problems(MigrateEnv, { DATABASE_URL: api.DATABASE_URL })).toEqual([]);
    expect(problems(MigrateEnv, { DATABASE_URL: api.DATABASE_URL, AUDIT_OWNER_ROLE: 'duban_audit' })).toEqual(['AUDIT_APP_ROLE is required']);
    expect(problems(MigrateEnv, { DATABASE_URL: api.DATABASE_URL, AUDIT_OWNER_ROLE: 'duban_audit', AUDIT_APP_ROLE: 'Robert"; DROP' })).toEqual([
      'AUDIT_APP_ROLE must be a lower-case PostgreSQL role name (required with AUDIT_OWNER_ROLE)',
    ]);
  });

  it('takes AUDIT_ANCHOR_LOG as an absolute path only', () => {
    expect(problems(AuditVerifyEnv, { DATABASE_URL: api.DATABASE_URL, AUDIT_ANCHOR_LOG: 'anchors.jsonl' })).toEqual([
      'AUDIT_ANCHOR_LOG must be an absolute file path',
    ]);
    expect(validateEnv(WorkerEnv, { ...api, AUDIT_ANCHOR_LOG: '/var/log/duban/anchors.jsonl' }).AUDIT_ANCHOR_LOG).toBe('/var/log/duban/anchors.jsonl');
  });
});
