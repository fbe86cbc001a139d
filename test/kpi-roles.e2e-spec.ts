import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import request from 'supertest';
import { HOTLINE_TICKET, type WorkflowDefinition } from '@duban/engine';
import type { Org } from './support/org-fixture.js';
import { startStack, stopStack } from './support/stack.js';
import { type RunningApp, type TestEnv } from './support/test-env.js';

/** The hotline ticket under another key, its transitions renamed and their KPI roles as given. */
function variant(key: string, rename: Record<string, string>, declared: boolean): WorkflowDefinition {
  return {
    ...HOTLINE_TICKET,
    key,
    name: `${key} 工单`,
    transitions: HOTLINE_TICKET.transitions.map(({ kpi, ...t }) => ({ ...t, action: rename[t.action] ?? t.action, ...(declared && kpi ? { kpi } : {}) })),
  };
}

describe('KPI roles: what a transition counts as is declared on it, not guessed from its name', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let db: pg.Client;
  const http = () => request(api.url);

  /** Creates a ticket for O1 and takes the actions, each by the lead or the supervisor. */
  const run = async (workflow: string, steps: [string, 'lead' | 'supervisor', object?][]) => {
    const created = await http()
      .post('/api/v1/tasks')
      .set('Authorization', org.token.admin)
      .send({ workflow, title: `${workflow} 测试`, leadDepartmentIds: [org.dept.O1] })
      .expect(201);
    for (const [action, who, input] of steps) {
      await http()
        .post(`/api/v1/tasks/${created.body.id}/actions`)
        .set('Authorization', org.token[who])
        .send({ action, ...input })
        .expect(200);
    }
    const [row] = (await db.query(`SELECT accepted_at, accepted_on_time FROM tasks WHERE id = $1`, [created.body.id])).rows;
    return row as { accepted_at: Date | null; accepted_on_time: boolean | null };
  };
  const kpisOf = async (workflow: string) => {
    const res = await http()
      .get('/api/v1/reports/kpis')
      .query({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString(), workflow })
      .set('Authorization', org.token.admin)
      .expect(200);
    return res.body.byDepartment.find((r: { departmentId: string }) => r.departmentId === org.dept.O1) as Record<string, unknown>;
  };
  const later = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

  beforeAll(async () => {
    ({ testEnv, api, org, db } = await startStack());
  });

  afterAll(() => stopStack({ testEnv, api, db }));

  it('counts an admin’s acceptance called "sign", a return called "bounce" and an extension called "postpone"', async () => {
    const renamed = variant('street-ticket', { accept: 'sign', return: 'bounce', extend: 'postpone' }, true);
    await http().post('/api/v1/workflows').set('Authorization', org.token.admin).send(renamed).expect(201);
    const signed = await run('street-ticket', [
      ['sign', 'lead'],
      ['postpone', 'supervisor', { dueAt: later(), comment: '需协调' }],
    ]);
    expect(signed.accepted_at).not.toBeNull();
    expect(signed.accepted_on_time).toBe(true);
    await run('street-ticket', [['bounce', 'lead', { comment: '非本单位职责' }]]);
    expect(await kpisOf('street-ticket')).toMatchObject({ created: 2, acceptedOnTimeRate: 1, extensions: 1, returns: 1 });
  });

  it('does not count an action named "accept" that declares nothing', async () => {
    await http()
      .post('/api/v1/workflows')
      .set('Authorization', org.token.admin)
      .send(variant('plain-ticket', {}, false))
      .expect(201);
    const accepted = await run('plain-ticket', [
      ['accept', 'lead'],
      ['extend', 'supervisor', { dueAt: later(), comment: '需协调' }],
    ]);
    expect(accepted.accepted_at).toBeNull();
    expect(await kpisOf('plain-ticket')).toMatchObject({ created: 1, acceptedOnTimeRate: null, extensions: 0, returns: 0 });
  });

  it('reads a version published before the declarations by its action names, as the reports did then', async () => {
    // A row as the migration leaves a version published earlier: kpi_declared false.
    await db.query(`INSERT INTO workflow_versions (key, version, name, definition, kpi_declared) VALUES ($1, 1, $2, $3::jsonb, false)`, [
      'legacy-ticket',
      'legacy-ticket 工单',
      JSON.stringify(variant('legacy-ticket', {}, false)),
    ]);
    const accepted = await run('legacy-ticket', [
      ['accept', 'lead'],
      ['extend', 'supervisor', { dueAt: later(), comment: '需协调' }],
    ]);
    expect(accepted.accepted_on_time).toBe(true);
    await run('legacy-ticket', [['return', 'lead', { comment: '非本单位职责' }]]);
    expect(await kpisOf('legacy-ticket')).toMatchObject({ created: 2, acceptedOnTimeRate: 1, extensions: 1, returns: 1 });
  });
});
