import { describe, expect, it } from '@jest/globals';
import { HOTLINE_TICKET, PLAN_ITEM } from '@duban/engine';
import { awaitingOf, awaitingStates, refOf } from './task-list.js';

describe('the console’s list filters', () => {
  it('reads a ref as people quote it: with or without the prefix and the leading zeros', () => {
    for (const q of ['DB-00000123', 'db-00000123', 'DB123', '00000123', '123', ' 123 ']) expect(refOf(q)).toBe('DB-00000123');
    expect(refOf('DB-123456789')).toBe('DB-123456789');
    for (const q of ['路灯', 'DB-', '12a', '12345-20251001']) expect(refOf(q)).toBeNull();
  });

  it('waits on a supervisor for extension requests and submissions, not where the owner works on', () => {
    expect(awaitingStates(PLAN_ITEM, 'supervisor').sort()).toEqual(['extension-requested', 'review']);
    expect(awaitingStates(HOTLINE_TICKET, 'supervisor').sort()).toEqual(['extension-requested', 'returned']);
    expect(awaitingStates(HOTLINE_TICKET, 'creator').sort()).toEqual(['extension-requested', 'returned']);
    expect(awaitingStates(PLAN_ITEM, 'admin')).toEqual([]);
  });

  it('asks what waits on a caller only for the roles it holds', () => {
    const versions = [{ key: 'plan-item', version: 3, definition: PLAN_ITEM }];
    const scope = { all: false, ownDepartment: null, supervised: ['d1'] };
    const supervisor = awaitingOf({ id: 'u1', roles: ['supervisor'], departmentId: 's' }, scope, versions);
    expect(supervisor.supervisor.map((s) => s.state).sort()).toEqual(['extension-requested', 'review']);
    expect(supervisor.supervisor[0]).toMatchObject({ key: 'plan-item', version: 3 });
    const lead = awaitingOf({ id: 'u2', roles: ['lead'], departmentId: 'd1' }, { ...scope, supervised: [] }, versions);
    expect(lead.supervisor).toEqual([]);
    expect(lead.admin).toEqual([]);
  });
});
