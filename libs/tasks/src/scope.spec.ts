import { describe, expect, it } from '@jest/globals';
import { assignableOutside, type Caller, type Scope, scopeCondition, taskRoles, visibleDepartments } from './scope.js';

const admin: Scope = { all: true, ownDepartment: null, supervised: [] };
const supervisorOfB: Scope = { all: false, ownDepartment: null, supervised: ['B', 'O1', 'O2'] };
const leadOfO1: Scope = { all: false, ownDepartment: 'O1', supervised: [] };
const nobody: Scope = { all: false, ownDepartment: null, supervised: [] };

describe('what a caller may assign', () => {
  it('lets an admin name any department as lead or co-owner', () => {
    expect(assignableOutside(admin, { lead: ['F'], co: ['S2'] })).toEqual({ lead: [], co: [] });
  });

  it('names the co-owners a supervisor does not supervise, once each', () => {
    expect(assignableOutside(supervisorOfB, { lead: ['O1'], co: ['O2', 'F', 'F', 'S2'] })).toEqual({ lead: [], co: ['F', 'S2'] });
  });

  it('names the lead departments outside a supervisor’s reach apart from the co-owners', () => {
    expect(assignableOutside(supervisorOfB, { lead: ['F'], co: ['O2'] })).toEqual({ lead: ['F'], co: [] });
  });

  it('lets a lead assign nothing, not even to its own department', () => {
    expect(assignableOutside(leadOfO1, { lead: ['O1'], co: ['O1'] })).toEqual({ lead: ['O1'], co: ['O1'] });
  });
});

describe('whose figures a caller may read', () => {
  it('gives admins all (null), supervisors what they supervise, leads their own department, others nothing', () => {
    expect(visibleDepartments(admin)).toBeNull();
    expect(visibleDepartments(supervisorOfB)).toEqual(['B', 'O1', 'O2']);
    expect(visibleDepartments(leadOfO1)).toEqual(['O1']);
    expect(visibleDepartments(nobody)).toEqual([]);
  });
});

describe('the scope condition', () => {
  it('is written over another alias when asked, with its parameters appended', () => {
    const params: unknown[] = ['plan'];
    expect(scopeCondition(leadOfO1, params, 'pt')).toBe('(pt.owner_department_ids @> ARRAY[$2::uuid] OR pt.supervising_department_ids @> ARRAY[$2::uuid])');
    expect(params).toEqual(['plan', 'O1']);
    expect(scopeCondition(nobody, [])).toBe('FALSE');
  });
});

describe('a child task’s roles (分解)', () => {
  // A town's share of 乐昌市人民政府's item: led by the town T1, supervised by the county C.
  const child = { owners: [{ departmentId: 'T1', role: 'lead' as const }], assignee_id: null, created_by: 'county-lead', supervising_department_ids: ['C'] };
  const user = (departmentId: string, ...roles: Caller['roles']): Caller => ({ id: `${departmentId}-${roles.join('-')}`, departmentId, roles });
  const own = (departmentId: string): Scope => ({ all: false, ownDepartment: departmentId, supervised: [] });

  it('makes the parent’s lead department’s leads its supervisors', () => {
    expect(taskRoles(user('C', 'lead'), own('C'), child)).toEqual(['supervisor']);
  });

  it('gives a handler of that department nothing to do on it, and the town’s lead its owner role', () => {
    expect(taskRoles(user('C', 'handler'), own('C'), child)).toEqual([]);
    expect(taskRoles(user('T1', 'lead'), own('T1'), child)).toEqual(['owner']);
  });

  it('names the supervisor role once for a lead who also supervises the town', () => {
    const both: Scope = { all: false, ownDepartment: 'C', supervised: ['T1'] };
    expect(taskRoles(user('C', 'lead', 'supervisor'), both, child)).toEqual(['supervisor']);
  });

  it('never makes a unit that works the child its supervisor: it would approve its own submission', () => {
    // A share given (by an admin) to the county itself and a town: the county leads it, and is not its supervisor.
    const shared = { ...child, owners: [...child.owners, { departmentId: 'C', role: 'lead' as const }] };
    expect(taskRoles(user('C', 'lead'), own('C'), shared)).toEqual(['owner']);
  });
});
