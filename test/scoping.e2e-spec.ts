import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { buildOrg, type Org } from './support/org-fixture.js';
import { createTestEnv, type RunningApp, startSeededApi, type TestEnv } from './support/test-env.js';

type Role = 'handler' | 'lead' | 'supervisor' | 'admin';
type Relation = 'own' | 'co-owned' | 'supervised' | 'foreign' | 'child';
type Operation = 'get' | 'list' | 'action' | 'audit';

/**
 * The users are of department O1 (handler, lead), of the bureau B that supervises O1 and O2
 * (supervisor), and admin. Relations are seen from O1: its own task, a task it co-owns, a
 * task of O2 only, a task of F (supervised by another office), and a child fanned out to O1.
 */
const VISIBLE: Record<Role, Record<Relation, boolean>> = {
  handler: { own: true, 'co-owned': true, supervised: false, foreign: false, child: true },
  lead: { own: true, 'co-owned': true, supervised: false, foreign: false, child: true },
  supervisor: { own: true, 'co-owned': true, supervised: true, foreign: false, child: true },
  admin: { own: true, 'co-owned': true, supervised: true, foreign: true, child: true },
};
const ROLES = Object.keys(VISIBLE) as Role[];
const RELATIONS = Object.keys(VISIBLE.admin) as Relation[];
const OPERATIONS: Operation[] = ['get', 'list', 'action', 'audit'];

const cells = ROLES.flatMap((role) => RELATIONS.flatMap((relation) => OPERATIONS.map((op) => [role, relation, op, VISIBLE[role][relation]] as const)));

describe('scoping matrix: role × relation × operation', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  const task: Partial<Record<Relation, string>> = {};
  const listed: Partial<Record<Role, Set<string>>> = {};

  beforeAll(async () => {
    testEnv = await createTestEnv({ seededWith: 'demo-password' });
    api = await startSeededApi(testEnv, 'demo-password');
    org = await buildOrg(api.url, 'demo-password');
    const create = async (title: string, lead: string, extra: object = {}) => {
      const res = await request(api.url)
        .post('/api/v1/tasks')
        .set('Authorization', org.token.admin)
        .send({ workflow: 'plan-item', title, leadDepartmentIds: [lead], ...extra })
        .expect(201);
      return res.body.id as string;
    };
    task.own = await create('own', org.dept.O1);
    task['co-owned'] = await create('co-owned', org.dept.O2, { coDepartmentIds: [org.dept.O1] });
    task.supervised = await create('supervised', org.dept.O2);
    task.foreign = await create('foreign', org.dept.F);
    const parent = await create('parent', org.dept.O2);
    task.child = await create('child', org.dept.O1, { parentId: parent });
    for (const role of ROLES) {
      const res = await request(api.url).get('/api/v1/tasks').query({ limit: 1000 }).set('Authorization', org.token[role]).expect(200);
      listed[role] = new Set(res.body.items.map((t: { id: string }) => t.id));
    }
  });

  afterAll(async () => {
    await api?.stop();
    await testEnv?.dispose();
  });

  it.each(cells)('%s × %s × %s → visible: %s', async (role, relation, op, visible) => {
    const id = task[relation]!;
    const auth = org.token[role];
    switch (op) {
      case 'get':
        await request(api.url)
          .get(`/api/v1/tasks/${id}`)
          .set('Authorization', auth)
          .expect(visible ? 200 : 404);
        break;
      case 'list':
        expect(listed[role]!.has(id)).toBe(visible);
        break;
      case 'action': {
        // A stale expectedVersion proves the caller reached the task (409) without changing it.
        const res = await request(api.url).post(`/api/v1/tasks/${id}/actions`).set('Authorization', auth).send({ action: 'accept', expectedVersion: 999 });
        expect(res.status).toBe(visible ? 409 : 404);
        break;
      }
      case 'audit':
        await request(api.url)
          .get(`/api/v1/tasks/${id}/audit`)
          .set('Authorization', auth)
          .expect(visible ? 200 : 404);
        break;
    }
  });

  it('answers an unknown task exactly like a task that is not yours', async () => {
    const unknown = await request(api.url).get('/api/v1/tasks/00000000-0000-4000-8000-000000000000').set('Authorization', org.token.lead).expect(404);
    const foreign = await request(api.url).get(`/api/v1/tasks/${task.foreign}`).set('Authorization', org.token.lead).expect(404);
    expect({ ...foreign.body, detail: undefined, instance: undefined }).toEqual({ ...unknown.body, detail: undefined, instance: undefined });
  });
});
