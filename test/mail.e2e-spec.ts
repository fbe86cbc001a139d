import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitForDrained } from './support/drained.js';
import { buildOrg, type Org } from './support/org-fixture.js';
import { smtpSink } from './support/smtp-sink.js';
import { createTestEnv, freePort, type RunningApp, startBuilt, startSeededApi, type TestEnv, waitFor } from './support/test-env.js';

/** The Subject header of a raw message, with its RFC 2047 encoded words decoded. */
function subjectOf(raw: string): string {
  const header = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
  return header
    .replace(/\r\n[ \t]/g, ' ')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi, (_m, b64: string) => Buffer.from(b64, 'base64').toString('utf8'))
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=\s*/gi, (_m, q: string) =>
      Buffer.from(
        q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8'),
    )
    .trim();
}

describe('e-mail copies of notices', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let worker: RunningApp;
  let org: Org;
  let sink: Server;
  const received: string[] = [];

  beforeAll(async () => {
    testEnv = await createTestEnv({ seededWith: 'demo-password' });
    sink = smtpSink(received);
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => sink.listen(smtpPort, '127.0.0.1', resolve));
    api = await startSeededApi(testEnv, 'demo-password');
    org = await buildOrg(api.url, 'demo-password');
    const port = await freePort();
    worker = await startBuilt(
      'apps/worker/src/main.js',
      { ...testEnv.env, WORKER_PORT: String(port), SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, SMTP_FROM: '督办系统 <duban@example.gov.cn>' },
      port,
      '/health',
    );
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    sink?.close();
    await testEnv?.dispose();
  });

  it('mails a notice to a user who has an address, and to nobody else', async () => {
    await request(api.url).patch(`/api/v1/users/${org.userId.lead}`).set('Authorization', org.token.admin).send({ email: 'lead@example.gov.cn' }).expect(200);
    await request(api.url)
      .post('/api/v1/tasks')
      .set('Authorization', org.token.admin)
      .send({ workflow: 'plan-item', title: '邮件通知测试', leadDepartmentIds: [org.dept.O1] })
      .expect(201);
    await waitFor(() => received.length >= 1, 'the mail');
    // Count once the stack is idle (the creation event dispatched, no mail job left): a second mail would have been sent by then.
    await waitForDrained(testEnv);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatch(/^To: lead <lead@example\.gov\.cn>$/m);
    expect(subjectOf(received[0]!)).toBe('【交办】邮件通知测试');
    expect(received[0]).toMatch(/^X-Duban-Notification: \d+$/m);
  });
});
