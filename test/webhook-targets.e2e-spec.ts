import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type Stack, startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, waitFor } from './support/test-env.js';

/** Webhooks reach public addresses only, unless WEBHOOK_ALLOW_HOSTS says otherwise (neither process here sets it). */
describe('webhook targets', () => {
  let stack: Stack;
  let worker: RunningApp;

  beforeAll(async () => {
    stack = await startStack();
    const port = await freePort();
    worker = await startBuilt('apps/worker/src/main.js', { ...stack.testEnv.env, WORKER_PORT: String(port), WEBHOOK_BACKOFF_MS: '200' }, port, '/health');
  });

  afterAll(async () => {
    await worker?.stop();
    await stopStack(stack ?? {});
  });

  const createHook = (url: string, departmentId?: string) =>
    request(stack.api.url)
      .post('/api/v1/webhooks')
      .set('Authorization', stack.org.token.admin)
      .send({ url, secret: 'target-secret-0123456789', events: ['task.created'], departmentId: departmentId ?? stack.org.dept.F });

  it.each([
    ['http://127.0.0.1:8080/hook', /127\.0\.0\.1 is loopback/],
    ['http://localhost/hook', /localhost resolves to .*, loopback/],
    ['http://10.1.2.3/hook', /10\.1\.2\.3 is private/],
    ['http://192.168.0.10/hook', /private/],
    ['http://100.64.1.1/hook', /CGNAT/],
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is cloud metadata/],
    ['http://metadata.google.internal/computeMetadata/v1/', /metadata/],
    ['http://[::1]:8080/hook', /loopback/],
    ['http://[::ffff:127.0.0.1]/hook', /loopback/],
    ['http://[fd00:ec2::254]/hook', /cloud metadata/],
    ['http://0.0.0.0/hook', /unspecified/],
  ])('refuses %s with 400 naming url', async (url, reason) => {
    const res = await createHook(url).expect(400);
    expect(res.body.errors).toEqual([{ path: 'url', message: expect.stringMatching(/^网络钩子地址不允许：/) }]);
    expect(res.body.errors[0].message).toMatch(reason);
  });

  it('refuses the decimal form of a loopback address too (already as no http(s) URL; the address check would too, see webhook-address.spec)', async () => {
    const res = await createHook('http://2130706433/hook').expect(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['url']);
  });

  it('masks the credentials of a webhook URL in the create answer and the list, and keeps them for delivery', async () => {
    const created = (await createHook('https://alice:s3cret@93.184.215.14/hooks/in?x=1').expect(201)).body;
    expect(created.url).toBe('https://***:***@93.184.215.14/hooks/in?x=1');
    const list = (await request(stack.api.url).get('/api/v1/webhooks').set('Authorization', stack.org.token.admin).expect(200)).body;
    const shown = list.items.find((w: { id: string }) => w.id === created.id);
    expect(shown.url).toBe('https://***:***@93.184.215.14/hooks/in?x=1');
    expect(JSON.stringify(list)).not.toContain('s3cret');
    const { rows } = await stack.db.query(`SELECT url FROM webhooks WHERE id = $1`, [created.id]);
    expect(rows[0].url).toBe('https://alice:s3cret@93.184.215.14/hooks/in?x=1');
  });

  it('refuses at delivery time a stored webhook whose target is loopback: the delivery records why and nothing connects', async () => {
    let connections = 0;
    const sink: Server = createServer((req, res) => res.end());
    sink.on('connection', () => connections++);
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    try {
      // As a webhook created while an allow list admitted it, or whose name now resolves elsewhere.
      const url = `http://127.0.0.1:${(sink.address() as { port: number }).port}/hook`;
      const {
        rows: [hook],
      } = await stack.db.query(`INSERT INTO webhooks (url, secret, events, department_id) VALUES ($1, $2, $3, $4) RETURNING id`, [
        url,
        'stored-secret-0123456789',
        ['task.created'],
        stack.org.dept.O1,
      ]);
      await request(stack.api.url)
        .post('/api/v1/tasks')
        .set('Authorization', stack.org.token.supervisor)
        .send({ workflow: 'hotline-ticket', title: '回环地址投递', leadDepartmentIds: [stack.org.dept.O1] })
        .expect(201);
      const deliveries = await waitFor(async () => {
        const res = (await request(stack.api.url).get(`/api/v1/webhooks/${hook.id}/deliveries`).set('Authorization', stack.org.token.admin).expect(200)).body;
        return res.items[0]?.attempts >= 2 ? res : undefined;
      }, 'two refused attempts');
      expect(deliveries.items[0]).toMatchObject({ deliveredAt: null, lastStatus: null, lastError: expect.stringMatching(/127\.0\.0\.1 is loopback/) });
      expect(connections).toBe(0);
    } finally {
      sink.close();
    }
  }, 30_000);
});
