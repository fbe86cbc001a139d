import { describe, expect, it } from '@jest/globals';
import { HOTLINE_TICKET, PLAN_ITEM } from './builtin.js';
import { dueDateRule, takesDueAt } from './due-date.js';

const bj = (local: string) => new Date(`${local}+08:00`);
const of = (action: string) => PLAN_ITEM.transitions.find((t) => t.action === action)!;
const now = bj('2025-10-14T09:00:00');
const asked = bj('2025-11-28T17:30:00');

describe('dueDateRule: an extension asked for, then granted or refused', () => {
  it('records the date a request asks for and leaves the due date alone', () => {
    expect(dueDateRule(of('request-extension'), { dueAt: '2025-11-28T17:30:00+08:00' }, null, true, now)).toEqual({ kind: 'proposed', requestedDueAt: asked });
  });

  it('refuses a requested date that is not a date or not in the future', () => {
    expect(dueDateRule(of('request-extension'), { dueAt: 'soon' }, null, true, now)).toEqual({ kind: 'invalid', problem: 'not-a-date' });
    expect(dueDateRule(of('request-extension'), { dueAt: now }, null, true, now)).toEqual({ kind: 'invalid', problem: 'not-in-future' });
  });

  it('grants the requested date when the approval gives none, and the approver’s own date when it does', () => {
    expect(dueDateRule(of('approve-extension'), {}, asked, true, now)).toEqual({ kind: 'set', dueAt: asked, granted: true, requestedDueAt: null });
    const own = bj('2025-12-05T17:30:00');
    expect(dueDateRule(of('approve-extension'), { dueAt: own }, asked, true, now)).toEqual({ kind: 'set', dueAt: own, granted: false, requestedDueAt: null });
  });

  it('asks the approver for a date when nothing was requested, or the requested date has passed meanwhile', () => {
    expect(dueDateRule(of('approve-extension'), {}, null, true, now)).toEqual({ kind: 'invalid', problem: 'missing' });
    const passed = bj('2025-10-13T17:30:00');
    expect(dueDateRule(of('approve-extension'), { dueAt: null }, passed, true, now)).toEqual({
      kind: 'invalid',
      problem: 'request-passed',
      requestedDueAt: passed,
    });
  });

  it('drops the request when the task leaves its state otherwise (不同意延期), and keeps it while it stays', () => {
    expect(dueDateRule(of('reject-extension'), {}, asked, true, now)).toEqual({ kind: 'unchanged', requestedDueAt: null });
    expect(dueDateRule(of('report'), {}, asked, false, now)).toEqual({ kind: 'unchanged', requestedDueAt: asked });
  });

  it('lets a supervisor’s own extension set the date given', () => {
    const dueAt = bj('2025-12-31T17:30:00');
    expect(dueDateRule(of('extend'), { dueAt }, null, false, now)).toEqual({ kind: 'set', dueAt, granted: false, requestedDueAt: null });
  });

  it('says which transitions take a dueAt', () => {
    expect(HOTLINE_TICKET.transitions.filter(takesDueAt).map((t) => t.action)).toEqual(['request-extension', 'approve-extension', 'extend']);
  });
});
