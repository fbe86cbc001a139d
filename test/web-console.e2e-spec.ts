import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startStack, type Stack, stopStack } from './support/stack.js';
import { createTestEnv, freePort, ROOT, type RunningApp, startBuilt, type TestEnv } from './support/test-env.js';

const PROBLEM = /^application\/problem\+json/;
const CONSOLE_ROUTES = ['/', '/login', '/work', '/tasks', '/tasks/0b9d1c4e-1f7a-4a53-9a0e-0f6f1b2c3d4e', '/notifications', '/supervision', '/plans'];
const MORE_ROUTES = ['/plans/7', '/reports', '/me', '/admin', '/admin/users', '/work?filter=overdue'];

describe('the api serves the web console', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stopStack(stack));

  it('answers index.html on every console route, revalidated on each visit', async () => {
    for (const path of [...CONSOLE_ROUTES, ...MORE_ROUTES]) {
      const res = await request(stack.api.url).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain('<div id="root"></div>');
    }
  });

  it('serves the hashed assets index.html names for a year, as immutable', async () => {
    const index = await request(stack.api.url).get('/').expect(200);
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    expect(script).toBeDefined();
    const res = await request(stack.api.url).get(script!).expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // Every file of the build is reachable the same way (lazy page chunks included).
    const files = readdirSync(join(ROOT, 'dist/web/assets'));
    expect(files.length).toBeGreaterThan(3);
    const page = files.find((f) => f.startsWith('TaskPage-'));
    await request(stack.api.url).head(`/assets/${page}`).expect(200).expect('cache-control', 'public, max-age=31536000, immutable');
  });

  it('leaves the api, its docs, the metrics and the queue board as they were', async () => {
    await request(stack.api.url).get('/api/v1/health').expect(200);
    const unknown = await request(stack.api.url).get('/api/v1/no-such-thing').expect(404);
    expect(unknown.headers['content-type']).toMatch(PROBLEM);
    const unknownTask = await request(stack.api.url).get('/api/v1/tasks/0b9d1c4e-1f7a-4a53-9a0e-0f6f1b2c3d4e').set('Authorization', stack.org.token.admin);
    expect(unknownTask.status).toBe(404);
    expect(unknownTask.headers['content-type']).toMatch(PROBLEM);
    const docs = await request(stack.api.url).get('/api/docs-json').expect(200);
    expect(docs.body.openapi).toBeDefined();
    const metrics = await request(stack.api.url).get('/metrics').expect(200);
    expect(metrics.text).toContain('# HELP');
    // The queue board keeps its own guard: no console page, a 401 problem without a token.
    const board = await request(stack.api.url).get('/admin/queues').expect(401);
    expect(board.headers['content-type']).toMatch(PROBLEM);
    await request(stack.api.url)
      .get('/admin/queues')
      .query({ access_token: stack.org.token.admin.slice('Bearer '.length) })
      .expect(200);
  });

  it('does not answer index.html for other methods or paths', async () => {
    const post = await request(stack.api.url).post('/work').send({});
    expect(post.status).toBe(404);
    await request(stack.api.url).get('/tasks/1/edit').expect(404);
    await request(stack.api.url).get('/assets/no-such-file.js').expect(404);
  });
});

describe('an api built without the console', () => {
  let testEnv: TestEnv;
  let bare: RunningApp;

  beforeAll(async () => {
    testEnv = await createTestEnv();
    const port = await freePort();
    // WEB_ROOT pointing at a folder with no build stands for an api built without the console.
    const env = { ...testEnv.env, PORT: String(port), WEB_ROOT: join(ROOT, 'dist', 'no-web-here') };
    bare = await startBuilt('apps/api/src/main.js', env, port, '/api/v1/health');
  });
  afterAll(async () => {
    await bare?.stop();
    await testEnv?.dispose();
  });

  it('starts, serves the api, and says plainly at / that the console is not built', async () => {
    await request(bare.url).get('/api/v1/health').expect(200);
    const res = await request(bare.url).get('/').expect(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('控制台尚未构建');
    expect(res.text).toContain('npm run build');
    await request(bare.url).get('/work').expect(503);
  });
});
