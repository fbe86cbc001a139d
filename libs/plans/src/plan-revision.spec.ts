import { describe, expect, it } from '@jest/globals';
import type { PlanItemState } from './plan-diff.js';
import { taskRevision, textDueChanged } from './plan-revision.js';

const A = { id: 'a', name: '市发展改革委' };

/** An item as its text gave it at import: due at the end of 2023 (Beijing time). */
const imported: PlanItemState = {
  number: '1.',
  section: null,
  title: '建设一网通办',
  body: '建设一网通办。',
  leads: [A],
  cos: [],
  fanOut: [],
  dueAt: '2023-12-31T15:59:59.999Z',
};

describe('a revised item’s due date follows the text, not the task', () => {
  it('sends no due date when only the wording changed: the task keeps its own (an approved extension)', () => {
    const revision = taskRevision(imported, { ...imported, title: '建设一网通办平台', body: '建设一网通办平台。' });
    expect(revision).toEqual({ title: '建设一网通办平台', body: '建设一网通办平台。', owners: [{ departmentId: 'a', role: 'lead' }] });
    expect('dueAt' in revision).toBe(false);
  });

  it('sends the text’s new date when the text’s date changed, and null when it became long-term', () => {
    expect(taskRevision(imported, { ...imported, dueAt: '2023-06-30T15:59:59.999Z' }).dueAt).toEqual(new Date('2023-06-30T15:59:59.999Z'));
    expect(taskRevision(imported, { ...imported, dueAt: null }).dueAt).toBeNull();
  });

  it('keeps the task’s lead when the text names none, and never makes it a co-unit too (a county importing a co fan-out)', () => {
    const county = { id: 'k', name: '武江区人民政府' };
    const other = { id: 'z', name: '浈江区人民政府' };
    const before = { ...imported, leads: [county] };
    expect(taskRevision(before, { ...before, leads: [], cos: [county, other] }).owners).toEqual([
      { departmentId: 'k', role: 'lead' },
      { departmentId: 'z', role: 'co' },
    ]);
  });

  it('reads the same instant written another way as no change', () => {
    expect(textDueChanged(imported, { dueAt: '2023-12-31T23:59:59.999+08:00' })).toBe(false);
    expect(textDueChanged(imported, { dueAt: '2023-12-20T15:59:59.999Z' })).toBe(true);
    expect(textDueChanged({ dueAt: null }, { dueAt: null })).toBe(false);
  });
});
