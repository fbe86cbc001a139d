import { describe, expect, it } from '@jest/globals';
import { DomainError } from '@duban/http';
import { childTask, maySplit, type ParentRow, splitterOf } from './children.js';
import type { NewTask } from './creation.js';

const bj = (local: string) => new Date(`${local}+08:00`);

/** 乐昌市人民政府 (C) leads an item due at the end of 2025, with the bureau B as co-owner. */
const parent: ParentRow = {
  id: 'p',
  ref: 'DB-00000007',
  title: '推进“一网通办”',
  lead_department_ids: ['C'],
  owner_department_ids: ['C', 'B'],
  due_at: bj('2025-12-31T17:30:00'),
  closed_at: null,
};
const share: NewTask = { workflow: 'plan-item', title: '乐城街道：推进“一网通办”', leadDepartmentIds: ['T1'], parentId: 'p' };

describe('who may split a task', () => {
  it('is a lead of its lead department', () => {
    expect(splitterOf({ id: 'u', departmentId: 'C', roles: ['lead'] }, parent)).toBe('lead');
  });

  it('is not a handler of it, nor a lead of a co-owning unit', () => {
    expect(splitterOf({ id: 'u', departmentId: 'C', roles: ['handler'] }, parent)).toBe('member');
    expect(splitterOf({ id: 'u', departmentId: 'B', roles: ['lead'] }, parent)).toBe('member');
  });

  it('leaves everyone else to the ordinary rules of who assigns tasks', () => {
    expect(splitterOf({ id: 'u', departmentId: 'F', roles: ['lead'] }, parent)).toBe('outsider');
    expect(splitterOf({ id: 'admin', departmentId: null, roles: ['admin'] }, parent)).toBe('outsider');
  });
});

describe('whether the view offers 分解', () => {
  const task = {
    owners: [
      { departmentId: 'C', role: 'lead' as const },
      { departmentId: 'B', role: 'co' as const },
    ],
    closed_at: null,
  };

  it('does to a lead of the open task’s lead department only', () => {
    expect(maySplit({ id: 'u', departmentId: 'C', roles: ['lead'] }, task)).toBe(true);
    expect(maySplit({ id: 'u', departmentId: 'C', roles: ['handler'] }, task)).toBe(false);
    expect(maySplit({ id: 'u', departmentId: 'B', roles: ['lead'] }, task)).toBe(false);
    expect(maySplit({ id: 'admin', departmentId: null, roles: ['admin'] }, task)).toBe(false);
  });

  it('does not once the task is closed', () => {
    expect(maySplit({ id: 'u', departmentId: 'C', roles: ['lead'] }, { ...task, closed_at: bj('2025-12-01T09:00:00') })).toBe(false);
  });
});

describe('a child as it is created', () => {
  it('is due when its parent is unless told, and supervised by the parent’s lead departments', () => {
    expect(childTask(share, parent, 'Asia/Shanghai')).toMatchObject({ dueAt: parent.due_at, supervisingDepartmentIds: ['C'] });
  });

  it('is never supervised by one of its own units', () => {
    expect(childTask({ ...share, coDepartmentIds: ['C'] }, parent, 'Asia/Shanghai').supervisingDepartmentIds).toEqual([]);
  });

  it('keeps an earlier due date of its own, and the parent’s own instant', () => {
    expect(childTask({ ...share, dueAt: bj('2025-11-30T17:30:00') }, parent, 'Asia/Shanghai').dueAt).toEqual(bj('2025-11-30T17:30:00'));
    expect(childTask({ ...share, dueAt: bj('2025-12-31T17:30:00') }, parent, 'Asia/Shanghai').dueAt).toEqual(parent.due_at);
  });

  it('may not be due after its parent: 400 naming dueAt, the parent’s date with its year', () => {
    let thrown: unknown;
    try {
      childTask({ ...share, dueAt: bj('2026-01-05T17:30:00') }, parent, 'Asia/Shanghai');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    const error = thrown as DomainError;
    expect(error.status).toBe(400);
    expect(error.message).toContain('2025年12月31日 17:30');
    expect(error.extensions.errors).toEqual([{ path: 'dueAt', message: expect.stringContaining('DB-00000007') }]);
  });

  it('takes the workflow’s deadline when the parent has no due date (a long-term item)', () => {
    expect(childTask(share, { ...parent, due_at: null }, 'Asia/Shanghai').dueAt).toBeUndefined();
  });
});
