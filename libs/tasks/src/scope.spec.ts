import { describe, expect, it } from '@jest/globals';
import { assignableOutside, type Scope, scopeCondition, visibleDepartments } from './scope.js';

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
    expect(scopeCondition(leadOfO1, params, 'pt')).toBe('pt.owner_department_ids @> ARRAY[$2::uuid]');
    expect(params).toEqual(['plan', 'O1']);
    expect(scopeCondition(nobody, [])).toBe('FALSE');
  });
});
