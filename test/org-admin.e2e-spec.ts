import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type Stack, startStack, stopStack } from './support/stack.js';

/** What the console's organisation pages rely on: refusals worded in Chinese with a stable code. */
describe('organisation admin refusals', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  }, 180_000);

  afterAll(async () => {
    await stopStack(stack ?? {});
  });

  const http = () => request(stack.api.url);
  const admin = () => stack.org.token.admin;

  it('refuses to move a department under itself or its own sub-department with department-cycle, in Chinese, and changes nothing', async () => {
    const { B, O1 } = stack.org.dept;
    for (const parentId of [B, O1]) {
      const res = await http().patch(`/api/v1/departments/${B}`).set('Authorization', admin()).send({ parentId, name: '改名' }).expect(400);
      expect(res.body).toMatchObject({ type: 'urn:duban:problem:department-cycle', detail: expect.stringMatching(/^不能把单位移到它自己或它的下级单位之下/) });
      // The form marks the field at fault, as for any other bad field.
      expect(res.body.errors).toEqual([{ path: 'parentId', message: res.body.detail }]);
    }
    const b = (await http().get(`/api/v1/departments/${B}`).set('Authorization', admin()).expect(200)).body;
    expect(b).toMatchObject({ parentId: null, name: '市政务服务数据管理局' });
    // A move elsewhere is fine.
    const moved = await http().patch(`/api/v1/departments/${O1}`).set('Authorization', admin()).send({ parentId: stack.org.dept.F }).expect(200);
    expect(moved.body.parentId).toBe(stack.org.dept.F);
  });

  it('refuses a lead or handler without a department with department-required, in Chinese', async () => {
    const refused = (body: object) => http().post('/api/v1/users').set('Authorization', admin()).send(body).expect(400);
    for (const roles of [['lead'], ['handler', 'supervisor']]) {
      const res = await refused({ username: `nodept-${roles[0]}`, displayName: '无单位', roles, password: 'password-123' });
      expect(res.body).toMatchObject({ type: 'urn:duban:problem:department-required', detail: expect.stringMatching(/^部门负责人和承办人必须属于一个单位/) });
      expect(res.body.errors).toEqual([{ path: 'departmentId', message: res.body.detail }]);
    }
    // A supervisor or admin may have none.
    await http()
      .post('/api/v1/users')
      .set('Authorization', admin())
      .send({ username: 'nodept-admin', displayName: '管理员乙', roles: ['admin'], password: 'password-123' })
      .expect(201);
  });

  it('refuses an edit that would leave a lead or handler without a department, by roles or by department', async () => {
    const { userId } = stack.org;
    const dropDept = await http().patch(`/api/v1/users/${userId.lead}`).set('Authorization', admin()).send({ departmentId: null }).expect(400);
    expect(dropDept.body.type).toBe('urn:duban:problem:department-required');
    const created = (
      await http()
        .post('/api/v1/users')
        .set('Authorization', admin())
        .send({ username: 'plain-sup', displayName: '督查员', roles: ['supervisor'], password: 'password-123' })
        .expect(201)
    ).body;
    const addRole = await http()
      .patch(`/api/v1/users/${created.id}`)
      .set('Authorization', admin())
      .send({ roles: ['supervisor', 'handler'] })
      .expect(400);
    expect(addRole.body.type).toBe('urn:duban:problem:department-required');
    // With a department in the same change it is accepted.
    const ok = await http()
      .patch(`/api/v1/users/${created.id}`)
      .set('Authorization', admin())
      .send({ roles: ['supervisor', 'handler'], departmentId: stack.org.dept.O2 })
      .expect(200);
    expect(ok.body).toMatchObject({ roles: ['supervisor', 'handler'], departmentId: stack.org.dept.O2 });
  });

  it('still disables an older lead without a department and resets its password: the rule holds only for a change of roles or department', async () => {
    const [{ id }] = (
      await stack.db.query(
        `INSERT INTO users (username, display_name, department_id, roles, password_hash)
         SELECT 'old-lead', '老负责人', NULL, ARRAY['lead'], password_hash FROM users WHERE id = $1 RETURNING id`,
        [stack.org.userId.lead],
      )
    ).rows;
    const patch = (body: object) => http().patch(`/api/v1/users/${id}`).set('Authorization', admin()).send(body);
    await http().post('/api/v1/auth/login').send({ username: 'old-lead', password: 'new-password-456' }).expect(401);
    expect((await patch({ password: 'new-password-456' }).expect(200)).body).toMatchObject({ roles: ['lead'], departmentId: null });
    await http().post('/api/v1/auth/login').send({ username: 'old-lead', password: 'new-password-456' }).expect(200);
    expect((await patch({ disabled: true }).expect(200)).body).toMatchObject({ disabled: true });
    const refused = await http().post('/api/v1/auth/login').send({ username: 'old-lead', password: 'new-password-456' }).expect(401);
    expect(refused.body.type).toBe('urn:duban:problem:account-disabled');
    // Touching its roles still asks for a department.
    expect((await patch({ roles: ['lead'] }).expect(400)).body.type).toBe('urn:duban:problem:department-required');
  });
});
