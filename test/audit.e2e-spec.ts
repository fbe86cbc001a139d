import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import type { Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import { freePort, type RunningApp, runBuilt, startBuilt, type TestEnv, waitFor } from './support/test-env.js';

describe('the audit trail is tamper-evident', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;
  const tasks: string[] = [];

  const verifyCli = () => runBuilt('apps/cli/src/audit-verify.js', { DATABASE_URL: testEnv.databaseUrl });

  beforeAll(async () => {
    ({ testEnv, api, org, db } = await startStack());
    for (const title of ['一', '二', '三']) {
      const created = await request(api.url)
        .post('/api/v1/tasks')
        .set('Authorization', org.token.supervisor)
        .send({ workflow: 'hotline-ticket', title, leadDepartmentIds: [org.dept.O1] })
        .expect(201);
      await request(api.url).post(`/api/v1/tasks/${created.body.id}/actions`).set('Authorization', org.token.lead).send({ action: 'accept' }).expect(200);
      await request(api.url)
        .post(`/api/v1/tasks/${created.body.id}/actions`)
        .set('Authorization', org.token.lead)
        .send({ action: 'close', comment: '已办结' })
        .expect(200);
      tasks.push(created.body.id);
    }
  });

  afterAll(() => stopStack({ testEnv, api, db }));

  it('chains each entry to the one before', async () => {
    const trail = (await request(api.url).get(`/api/v1/tasks/${tasks[0]}/audit`).set('Authorization', org.token.lead).expect(200)).body;
    expect(trail.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    expect(trail[1].prevHash).toBe(trail[0].hash);
    expect(trail[2].prevHash).toBe(trail[1].hash);
    expect(trail[2]).toMatchObject({ action: 'close', fromState: 'processing', toState: 'closed', actorId: org.userId.lead, data: { comment: '已办结' } });
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    await expect(db.query(`UPDATE audit_entries SET data = '{}' WHERE task_id = $1`, [tasks[0]])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_entries WHERE task_id = $1`, [tasks[0]])).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_entries CASCADE`)).rejects.toThrow(/append-only/);
  });

  it('verifies clean chains and anchors with exit code 0', async () => {
    const worker = await startWorkerUntilAnchored();
    const result = await verifyCli();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${tasks.length + 0} task(s), 9 entries checked; 0 broken chain(s)`);
    expect(result.stdout).toMatch(/[1-9]\d* anchor\(s\) checked; 0 broken/);
    await worker.stop();
  });

  it('detects a row forged with the triggers disabled, at its seq', async () => {
    await db.query(`ALTER TABLE audit_entries DISABLE TRIGGER USER`);
    await db.query(`UPDATE audit_entries SET data = '{"comment": "从未办结"}' WHERE task_id = $1 AND seq = 3`, [tasks[1]]);
    await db.query(`ALTER TABLE audit_entries ENABLE TRIGGER USER`);
    await request(api.url).get(`/api/v1/tasks/${tasks[1]}/audit/verify`).set('Authorization', org.token.lead).expect(200, { valid: false, brokenAt: 3 });
    await request(api.url).get(`/api/v1/tasks/${tasks[0]}/audit/verify`).set('Authorization', org.token.lead).expect(200, { valid: true, entries: 3 });
    const result = await verifyCli();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`first broken link: task ${tasks[1]} at seq 3`);
  });

  it('detects a whole chain dropped with its task, through the anchors', async () => {
    await db.query(`ALTER TABLE audit_entries DISABLE TRIGGER USER`);
    await db.query(`DELETE FROM audit_entries WHERE task_id = $1`, [tasks[2]]);
    await db.query(`ALTER TABLE audit_entries ENABLE TRIGGER USER`);
    await db.query(`DELETE FROM tasks WHERE id = $1`, [tasks[2]]);
    const result = await verifyCli();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/anchor \d+ \(cutoff [^)]+\): chain heads differ from the anchor \(tasks 2 vs 3/);
  });

  it('detects the last entry of a chain deleted, by the head its task row records', async () => {
    const created = await request(api.url)
      .post('/api/v1/tasks')
      .set('Authorization', org.token.supervisor)
      .send({ workflow: 'hotline-ticket', title: '末条删除', leadDepartmentIds: [org.dept.O1] })
      .expect(201);
    const id: string = created.body.id;
    await request(api.url).post(`/api/v1/tasks/${id}/actions`).set('Authorization', org.token.lead).send({ action: 'accept' }).expect(200);
    await request(api.url).get(`/api/v1/tasks/${id}/audit/verify`).set('Authorization', org.token.lead).expect(200, { valid: true, entries: 2 });
    await db.query(`ALTER TABLE audit_entries DISABLE TRIGGER USER`);
    await db.query(`DELETE FROM audit_entries WHERE task_id = $1 AND seq = 2`, [id]);
    await db.query(`ALTER TABLE audit_entries ENABLE TRIGGER USER`);
    await request(api.url).get(`/api/v1/tasks/${id}/audit/verify`).set('Authorization', org.token.lead).expect(200, { valid: false, brokenAt: 2 });
    const result = await verifyCli();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`broken chain: task ${id} at seq 2`);
  });

  /** The worker's scheduled job writes the anchor; a short interval and no settle time make it quick. */
  async function startWorkerUntilAnchored(): Promise<RunningApp> {
    const port = await freePort();
    const worker = await startBuilt(
      'apps/worker/src/main.js',
      { ...testEnv.env, WORKER_PORT: String(port), AUDIT_ANCHOR_EVERY_MS: '1000', AUDIT_ANCHOR_SETTLE_MS: '0' },
      port,
      '/health',
    );
    await waitFor(async () => (await db.query(`SELECT tasks FROM audit_anchors WHERE tasks = 3`)).rowCount! > 0, 'an anchor over the three chains');
    return worker;
  }
});
