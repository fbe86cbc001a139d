import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { buildOrg, login, type Org } from './support/org-fixture.js';
import { createTestEnv, type RunningApp, startSeededApi, type TestEnv } from './support/test-env.js';

/**
 * Issue 14, "nobody sees what is not theirs", beyond the task routes: plans, reports, the user
 * directory and co-owners. The organisation is test/support/org-fixture.ts: bureau B supervises
 * itself and its offices O1 and O2; F is supervised by S2.
 */

/** Three items: O1 leads with O2 co-owning, O2 alone, F alone. */
const plan = (title: string) => `${title}
一、数据治理
1．整合数据资源。（数据资源科牵头，政务服务科配合）
2．优化办事流程。（政务服务科负责）
3．推进农业数字化。（市农业农村局负责）`;

interface Rollup {
  itemCount: number;
  taskCount: number;
  items: { title: string }[];
  byDepartment: { departmentId: string; tasks: number }[];
  children: { done: number; total: number };
}

interface KpiRow {
  departmentId: string;
  created: number;
}

describe('scoping of plans, reports, users and co-owners', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let planId: string;
  let coordinatedPlanId: string;
  let roleless: string;
  const period = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
  const http = () => request(api.url);

  beforeAll(async () => {
    testEnv = await createTestEnv({ seededWith: 'demo-password' });
    api = await startSeededApi(testEnv, 'demo-password');
    org = await buildOrg(api.url, 'demo-password');
    // Imported by an admin of no department: nobody but admins supervises the plan as a whole.
    await http()
      .post('/api/v1/users')
      .set('Authorization', org.token.admin)
      .send({ username: 'admin2', displayName: '无部门管理员', roles: ['admin'], password: 'password-123' })
      .expect(201);
    const admin2 = await login(api.url, 'admin2', 'password-123');
    planId = (
      await http()
        .post('/api/v1/plans/import')
        .set('Authorization', admin2)
        .send({ text: plan('测试市2024年数据工作要点') })
        .expect(201)
    ).body.planId;
    await http()
      .post('/api/v1/users')
      .set('Authorization', org.token.admin)
      .send({ username: 'nobody', displayName: '无角色', departmentId: org.dept.O1, roles: [], password: 'password-123' })
      .expect(201);
    roleless = await login(api.url, 'nobody', 'password-123');
    // The same plan imported by an admin of bureau B: B coordinates it, so B's supervisor follows all of it.
    const me = (await http().get('/api/v1/me').set('Authorization', org.token.admin).expect(200)).body as { id: string };
    await http().patch(`/api/v1/users/${me.id}`).set('Authorization', org.token.admin).send({ departmentId: org.dept.B }).expect(200);
    // A department change ends the admin's sessions (issue 14.10): log in again.
    org.token.admin = await login(api.url, 'admin', 'demo-password');
    coordinatedPlanId = (
      await http()
        .post('/api/v1/plans/import')
        .set('Authorization', org.token.admin)
        .send({ text: plan('测试市2025年数据工作要点') })
        .expect(201)
    ).body.planId;
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await testEnv?.dispose();
  });

  const rollup = async (who: string, id = planId) => (await http().get(`/api/v1/plans/${id}`).set('Authorization', who).expect(200)).body as Rollup;
  const titles = (r: Rollup) => r.items.map((i) => i.title).sort();
  const figures = (r: Rollup) => Object.fromEntries(r.byDepartment.map((d) => [d.departmentId, d.tasks]));

  describe('plans (14.6)', () => {
    it('shows a lead only the items its department owns, and counts only those tasks by department', async () => {
      const lead = await rollup(org.token.lead);
      expect(titles(lead)).toEqual(['整合数据资源']);
      expect(figures(lead)).toEqual({ [org.dept.O1]: 1 });
      expect(lead).toMatchObject({ itemCount: 1, taskCount: 1 });

      // O2 co-owns the first item and leads the second.
      const lead2 = await rollup(org.token.lead2);
      expect(titles(lead2)).toEqual(['优化办事流程', '整合数据资源']);
      expect(figures(lead2)).toEqual({ [org.dept.O1]: 1, [org.dept.O2]: 1 });
    });

    it('shows a supervisor the items its departments lead, and admins everything', async () => {
      const supervisor = await rollup(org.token.supervisor);
      expect(titles(supervisor)).toEqual(['优化办事流程', '整合数据资源']);
      expect(figures(supervisor)).toEqual({ [org.dept.O1]: 1, [org.dept.O2]: 1 });
      expect(titles(await rollup(org.token.supervisor2))).toEqual(['推进农业数字化']);
      const admin = await rollup(org.token.admin);
      expect(admin.items).toHaveLength(3);
      expect(figures(admin)).toEqual({ [org.dept.O1]: 1, [org.dept.O2]: 1, [org.dept.F]: 1 });
    });

    it('lists the plans with the caller’s counts only', async () => {
      const listed = (await http().get('/api/v1/plans').set('Authorization', org.token.outsider).expect(200)).body;
      expect(listed.total).toBe(2);
      for (const item of listed.items) expect(item).toMatchObject({ itemCount: 1, taskCount: 1, closedCount: 0 });
    });

    it('answers a plan with nothing visible like an unknown plan, and leaves it out of the list', async () => {
      const hidden = await http().get(`/api/v1/plans/${planId}`).set('Authorization', roleless).expect(404);
      const unknown = await http().get('/api/v1/plans/00000000-0000-4000-8000-000000000000').set('Authorization', roleless).expect(404);
      expect({ ...hidden.body, detail: undefined, instance: undefined }).toEqual({ ...unknown.body, detail: undefined, instance: undefined });
      expect((await http().get('/api/v1/plans').set('Authorization', roleless).expect(200)).body).toEqual({ items: [], total: 0 });
    });

    it('shows the supervisors of the importing bureau the whole plan, and a lead still only its own', async () => {
      const supervisor = await rollup(org.token.supervisor, coordinatedPlanId);
      expect(titles(supervisor)).toEqual(['优化办事流程', '推进农业数字化', '整合数据资源']);
      expect(figures(supervisor)).toEqual({ [org.dept.O1]: 1, [org.dept.O2]: 1, [org.dept.F]: 1 });
      expect(titles(await rollup(org.token.lead, coordinatedPlanId))).toEqual(['整合数据资源']);
      const listed = (await http().get('/api/v1/plans').set('Authorization', org.token.supervisor).expect(200)).body;
      expect(listed.items.map((p: { id: string; itemCount: number }) => [p.id, p.itemCount])).toEqual([
        [coordinatedPlanId, 3],
        [planId, 2],
      ]);
    });
  });

  describe('reports (14.7)', () => {
    const kpis = async (who: string, query: Record<string, string> = {}) =>
      (
        await http()
          .get('/api/v1/reports/kpis')
          .query({ ...period, ...query })
          .set('Authorization', who)
          .expect(200)
      ).body as {
        totals: { created: number };
        byDepartment: KpiRow[];
      };
    const created = (rows: KpiRow[]) => Object.fromEntries(rows.map((r) => [r.departmentId, r.created]));

    it('gives a supervisor of bureau B only B’s departments, totals over those only', async () => {
      const admin = await kpis(org.token.admin);
      expect(created(admin.byDepartment)).toMatchObject({ [org.dept.O1]: 2, [org.dept.O2]: 2, [org.dept.F]: 2 });
      const supervisor = await kpis(org.token.supervisor);
      expect(created(supervisor.byDepartment)).toEqual({ [org.dept.O1]: 2, [org.dept.O2]: 2 });
      expect(supervisor.totals.created).toBe(4);
      const supervisor2 = await kpis(org.token.supervisor2);
      expect(created(supervisor2.byDepartment)).toEqual({ [org.dept.F]: 2 });
      expect(supervisor2.totals.created).toBe(2);
    });

    it('refuses a supervisor a department supervised elsewhere with 403, and answers one of its own', async () => {
      const refused = await http()
        .get('/api/v1/reports/kpis')
        .query({ ...period, departmentId: org.dept.F })
        .set('Authorization', org.token.supervisor)
        .expect(403);
      expect(refused.body.type).toMatch(/department-out-of-reach$/);
      await http()
        .get('/api/v1/reports/bulletin')
        .query({ ...period, departmentId: org.dept.F })
        .set('Authorization', org.token.supervisor)
        .expect(403);
      const own = await kpis(org.token.supervisor, { departmentId: org.dept.O1 });
      expect(created(own.byDepartment)).toEqual({ [org.dept.O1]: 2 });
      expect((await kpis(org.token.admin, { departmentId: org.dept.F })).totals.created).toBe(2);
    });

    it('ranks in a supervisor’s bulletin only the departments it supervises', async () => {
      const bulletin = (await http().get('/api/v1/reports/bulletin').query(period).set('Authorization', org.token.supervisor).expect(200)).body as {
        rows: (string | number)[][];
      };
      expect(new Set(bulletin.rows.map((r) => r[1]))).toEqual(new Set(['数据资源科', '政务服务科']));
      const all = (await http().get('/api/v1/reports/bulletin').query(period).set('Authorization', org.token.admin).expect(200)).body as {
        rows: (string | number)[][];
      };
      expect(all.rows.map((r) => r[1])).toContain('市农业农村局');
    });
  });

  describe('users and co-owners (14.8)', () => {
    it('shows a lead its colleagues without their e-mail, its own with it; admins see all', async () => {
      await http().patch(`/api/v1/users/${org.userId.lead2}`).set('Authorization', org.token.admin).send({ email: 'lead2@example.gov.cn' }).expect(200);
      await http().patch(`/api/v1/users/${org.userId.lead}`).set('Authorization', org.token.admin).send({ email: 'lead@example.gov.cn' }).expect(200);
      const listed = (await http().get('/api/v1/users').query({ limit: 1000 }).set('Authorization', org.token.lead).expect(200)).body.items as Record<
        string,
        unknown
      >[];
      const others = listed.filter((u) => u.id !== org.userId.lead);
      expect(others.length).toBeGreaterThan(3);
      expect(others.filter((u) => 'email' in u)).toEqual([]);
      expect(others.find((u) => u.id === org.userId.lead2)).toEqual({
        id: org.userId.lead2,
        username: 'lead2',
        displayName: 'lead2',
        departmentId: org.dept.O2,
        roles: ['lead'],
      });
      expect(listed.find((u) => u.id === org.userId.lead)).toMatchObject({ email: 'lead@example.gov.cn' });
      const one = (await http().get(`/api/v1/users/${org.userId.lead2}`).set('Authorization', org.token.supervisor).expect(200)).body;
      expect('email' in one).toBe(false);
      const byAdmin = (await http().get(`/api/v1/users/${org.userId.lead2}`).set('Authorization', org.token.admin).expect(200)).body;
      expect(byAdmin.email).toBe('lead2@example.gov.cn');
    });

    it('refuses a supervisor a co-owner it does not supervise, naming it; admins may', async () => {
      const task = (coDepartmentIds: string[]) => ({ workflow: 'hotline-ticket', title: '协办测试', leadDepartmentIds: [org.dept.O1], coDepartmentIds });
      const refused = await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.supervisor)
        .send(task([org.dept.O2, org.dept.F]))
        .expect(403);
      expect(refused.body.type).toMatch(/co-owners-forbidden$/);
      expect(refused.body.detail).toContain('市农业农村局');
      expect(refused.body.detail).not.toContain('政务服务科');
      expect(refused.body.departmentIds).toEqual([org.dept.F]);
      await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.supervisor)
        .send(task([org.dept.O2]))
        .expect(201);
      await http()
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send(task([org.dept.F]))
        .expect(201);
    });
  });
});
