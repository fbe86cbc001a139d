import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type Stack, startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, startBuilt, waitFor } from './support/test-env.js';

const SECRET = 'test-delivery-secret-0123';
const MISSING = '00000000-0000-4000-8000-000000000000';

/** POST /webhooks/:id/test and DELETE /webhooks/:id: an admin tries a subscription, then ends it. */
describe('webhook test delivery and unsubscribe', () => {
  let stack: Stack;
  let worker: RunningApp;
  let sink: Server;
  let sinkUrl: string;
  /** What the subscriber received; it refuses the first POST of each delivery, to show a retry. */
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    sink = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = received.length === 1 ? 503 : 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}/hook`;
    stack = await startStack({ WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });
    const port = await freePort();
    worker = await startBuilt(
      'apps/worker/src/main.js',
      { ...stack.testEnv.env, WORKER_PORT: String(port), WEBHOOK_BACKOFF_MS: '200', WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
      port,
      '/health',
    );
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await stopStack(stack ?? {});
    await new Promise((resolve) => sink?.close(resolve));
  });

  const http = () => request(stack.api.url);
  const admin = () => stack.org.token.admin;
  const subscribe = async () =>
    (
      await http()
        .post('/api/v1/webhooks')
        .set('Authorization', admin())
        .send({ url: sinkUrl, secret: SECRET, events: ['task.closed'] })
        .expect(201)
    ).body as { id: string };

  it('delivers webhook.test to that webhook alone, signed, retried until a 2xx, and lists it with status and attempts', async () => {
    const hook = await subscribe();
    const other = await subscribe();
    const queued = (await http().post(`/api/v1/webhooks/${hook.id}/test`).set('Authorization', admin()).expect(202)).body;
    expect(queued).toMatchObject({ id: expect.any(String), event: 'webhook.test', attempts: 0, lastStatus: null, deliveredAt: null });

    const delivered = await waitFor(async () => {
      const res = (await http().get(`/api/v1/webhooks/${hook.id}/deliveries`).set('Authorization', admin()).expect(200)).body;
      return res.items[0]?.deliveredAt ? res : undefined;
    }, 'the test delivery to arrive');
    expect(delivered.total).toBe(1);
    expect(delivered.items[0]).toMatchObject({ id: queued.id, event: 'webhook.test', attempts: 2, lastStatus: 204, nextAttemptAt: null });
    expect(received).toHaveLength(2);
    for (const r of received) {
      expect(r.headers['x-duban-event']).toBe('webhook.test');
      expect(r.headers['x-duban-delivery']).toBe(queued.id);
      expect(r.headers['x-duban-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
      expect(JSON.parse(r.body)).toMatchObject({ id: queued.id, event: 'webhook.test', data: { test: true } });
    }
    // The other subscription (the same address) got nothing: its list is empty, and every webhook.test the system holds is this one.
    expect((await http().get(`/api/v1/webhooks/${other.id}/deliveries`).set('Authorization', admin()).expect(200)).body.total).toBe(0);
    const { rows } = await stack.db.query(`SELECT id, webhook_id FROM webhook_deliveries WHERE event = 'webhook.test'`);
    expect(rows).toEqual([{ id: queued.id, webhook_id: hook.id }]);
  });

  it('answers 404 webhook-not-found for a test of a webhook that does not exist, and 403 to a non-admin', async () => {
    const missing = await http().post(`/api/v1/webhooks/${MISSING}/test`).set('Authorization', admin()).expect(404);
    expect(missing.body.type).toBe('urn:duban:problem:webhook-not-found');
    const hook = await subscribe();
    await http().post(`/api/v1/webhooks/${hook.id}/test`).set('Authorization', stack.org.token.lead).expect(403);
  });

  it('unsubscribes: the webhook leaves the list with its deliveries, and a second delete answers 404', async () => {
    const hook = await subscribe();
    await http().post(`/api/v1/webhooks/${hook.id}/test`).set('Authorization', admin()).expect(202);
    await http().delete(`/api/v1/webhooks/${hook.id}`).set('Authorization', stack.org.token.supervisor).expect(403);
    await http().delete(`/api/v1/webhooks/${hook.id}`).set('Authorization', admin()).expect(204);
    const list = (await http().get('/api/v1/webhooks').set('Authorization', admin()).query({ limit: 1000 }).expect(200)).body;
    expect(list.items.map((w: { id: string }) => w.id)).not.toContain(hook.id);
    await http().get(`/api/v1/webhooks/${hook.id}/deliveries`).set('Authorization', admin()).expect(404);
    const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1`, [hook.id]);
    expect(rows[0].n).toBe(0);
    const again = await http().delete(`/api/v1/webhooks/${hook.id}`).set('Authorization', admin()).expect(404);
    expect(again.body.type).toBe('urn:duban:problem:webhook-not-found');
  });
});
