import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createDataSource } from '@duban/db';
import { hashPassword } from '@duban/org';
import { createTestEnv, freePort, type RunningApp, startBuilt, type TestEnv, waitFor } from './support/test-env.js';

const PROBLEM = /^application\/problem\+json/;

describe('api over real PostgreSQL and Redis', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let http: string;

  /** The api's JSON log line of the request with this id, once it is written. */
  const logLine = (requestId: string) =>
    waitFor(
      () =>
        api
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { req?: { id?: string; url?: string } })
          .find((entry) => entry.req?.id === requestId),
      'the request log line',
    );

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const ds = createDataSource({ url: testEnv.databaseUrl, poolSize: 1 });
    await ds.initialize();
    const [dept] = await ds.query(`INSERT INTO departments (code, name, kind) VALUES ('zsj', '市政务服务数据管理局', 'bureau') RETURNING id`);
    await ds.query(
      `INSERT INTO users (username, display_name, roles, password_hash, department_id)
                    VALUES ('lead1', '张科长', '{lead}', $1, $2)`,
      [await hashPassword('correct horse'), dept.id],
    );
    await ds.destroy();
    const port = await freePort();
    api = await startBuilt(
      'apps/api/src/main.js',
      { ...testEnv.env, LOG_LEVEL: 'info', PORT: String(port), LOGIN_RATE_LIMIT: '10', LOGIN_RATE_WINDOW_MS: '60000', BODY_LIMIT: '1kb' },
      port,
      '/api/v1/health',
    );
    http = api.url;
  });

  afterAll(async () => {
    await api?.stop();
    await testEnv?.dispose();
  });

  it('reports database and redis up', async () => {
    const res = await request(http).get('/api/v1/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await request(http).get('/api/v1/no-such-thing').expect(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found', type: expect.any(String) });
  });

  it('refuses a protected route without a token, and with a forged one', async () => {
    const none = await request(http).get('/api/v1/me').expect(401);
    expect(none.headers['content-type']).toMatch(PROBLEM);
    const forged = await request(http).get('/api/v1/me').set('Authorization', 'Bearer eyJhbGciOiJub25lIn0.e30.').expect(401);
    expect(forged.body.status).toBe(401);
  });

  it('logs in and returns the caller on /me', async () => {
    const login = await request(http).post('/api/v1/auth/login').send({ username: 'LEAD1', password: 'correct horse' }).expect(200);
    expect(login.body).toMatchObject({ accessToken: expect.any(String), expiresIn: 28800, user: { username: 'lead1', roles: ['lead'] } });
    const me = await request(http).get('/api/v1/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(me.body).toEqual({
      id: login.body.user.id,
      username: 'lead1',
      displayName: '张科长',
      departmentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      roles: ['lead'],
    });
  });

  it('gives a wrong password and an unknown user the same 401', async () => {
    const wrong = await request(http).post('/api/v1/auth/login').send({ username: 'lead1', password: 'nope' }).expect(401);
    const unknown = await request(http).post('/api/v1/auth/login').send({ username: 'ghost', password: 'nope' }).expect(401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('rate limits repeated logins for one username from one address with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await request(http)
        .post('/api/v1/auth/login')
        .send({ username: 'victim', password: `guess-${i}` });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(10).fill(429));
    // Another username from the same address is not locked out by the attack on "victim".
    await request(http).post('/api/v1/auth/login').send({ username: 'lead1', password: 'correct horse' }).expect(200);
    const limited = await request(http).post('/api/v1/auth/login').send({ username: 'victim', password: 'x' }).expect(429);
    expect(limited.headers['content-type']).toMatch(PROBLEM);
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await request(http).post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"username": ').expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.detail).toMatch(/not valid JSON/);
  });

  it('answers an oversized body with 413 problem+json', async () => {
    const res = await request(http)
      .post('/api/v1/auth/login')
      .send({ username: 'x'.repeat(2000), password: 'y' })
      .expect(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  it('names every invalid and unknown field', async () => {
    const res = await request(http).post('/api/v1/auth/login').send({ username: 7, role: 'admin' }).expect(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['password', 'role', 'username']));
  });

  it('sets security headers and echoes a request id', async () => {
    const res = await request(http).get('/api/v1/health').set('X-Request-Id', 'trace-42');
    expect(res.headers['x-request-id']).toBe('trace-42');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('writes one structured JSON log line per request, with its request id', async () => {
    await request(http).get('/api/v1/health').set('X-Request-Id', 'log-me-7');
    const line = await logLine('log-me-7');
    expect(line).toMatchObject({ app: 'api', req: { method: 'GET', url: '/api/v1/health' }, res: { statusCode: 200 } });
  });

  it('never writes a token from the query string into the log', async () => {
    await request(http).get('/api/v1/health?access_token=very-secret-token&x=1').set('X-Request-Id', 'redact-1');
    const line = await logLine('redact-1');
    expect(line.req?.url).toBe('/api/v1/health?access_token=[redacted]&x=1');
    expect(api.output()).not.toContain('very-secret-token');
  });

  it('serves the OpenAPI document and UI outside the /api/v1 prefix', async () => {
    const doc = await request(http).get('/api/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/me', '/api/v1/health']));
    const ui = await request(http).get('/api/docs').expect(200);
    expect(ui.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(ui.text).toContain('swagger-ui-init.js');
  });

  it('exposes Prometheus metrics with request durations by route template and status', async () => {
    const res = await request(http).get('/metrics').expect(200);
    expect(res.text).toMatch(/^process_cpu_user_seconds_total/m);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/health",status="200"\} \d+/);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} \d+/);
  });
});
