import { describe, expect, it } from '@jest/globals';
import { HOTLINE_TICKET, PLAN_ITEM, PROPOSAL_REPLY } from '@duban/engine';
import { byReader, nextReaders } from './readers.js';

describe('byReader', () => {
  it('splits an escalation’s roles into the unit and those who press it', () => {
    expect(byReader(['owner', 'supervisor'])).toEqual([
      { reader: 'unit', roles: ['owner'] },
      { reader: 'overseer', roles: ['supervisor'] },
    ]);
    expect(byReader(['supervisor'])).toEqual([{ reader: 'overseer', roles: ['supervisor'] }]);
  });
});

describe('nextReaders: whom a transition into a state concerns', () => {
  it('asks the supervisors to decide on an extension request, and nobody else', () => {
    expect(nextReaders(PLAN_ITEM, 'extension-requested')).toEqual([
      { reader: 'overseer', roles: ['supervisor'], actions: ['同意延期', '不同意延期'], decides: true },
    ]);
  });

  it('tells the unit to go on after an approval, a refusal or a send-back; the supervisors may only press it there', () => {
    expect(nextReaders(PLAN_ITEM, 'in-progress')).toEqual([
      { reader: 'unit', roles: ['owner', 'co-owner', 'assignee'], actions: ['交办经办人', '进度填报', '申请延期', '申请办结'], decides: true },
      { reader: 'overseer', roles: ['supervisor'], actions: ['延期'], decides: false },
    ]);
  });

  it('tells the owners of a completed item, though nothing is left to do', () => {
    expect(nextReaders(PLAN_ITEM, 'completed')).toEqual([{ reader: 'unit', roles: ['owner'], actions: [], decides: false }]);
  });

  it('asks the dispatcher to call back a closed ticket, and tells its owners it is closed', () => {
    expect(nextReaders(HOTLINE_TICKET, 'closed')).toEqual([
      { reader: 'unit', roles: ['owner'], actions: [], decides: false },
      { reader: 'overseer', roles: ['supervisor', 'creator'], actions: ['回访评价', '重办'], decides: true },
    ]);
  });

  it('reaches the co-handling units, who give their opinions while the proposal is in hand', () => {
    expect(nextReaders(PROPOSAL_REPLY, 'handling')[0]).toEqual({
      reader: 'unit',
      roles: ['co-owner', 'owner'],
      actions: ['会办意见', '答复代表'],
      decides: true,
    });
  });
});

describe('nextReaders after a move that keeps the task in its state', () => {
  const transition = (action: string) => PLAN_ITEM.transitions.find((t) => t.action === action && t.from.includes('in-progress'))!;

  it('tells nobody of a unit’s own progress report: no supervisor is asked to press on each report', () => {
    expect(nextReaders(PLAN_ITEM, 'in-progress', transition('report'))).toEqual([]);
  });

  it('tells the handler a task is handed to, and nobody else', () => {
    expect(nextReaders(PLAN_ITEM, 'in-progress', transition('assign')).map((g) => g.roles)).toEqual([['assignee']]);
  });

  it('tells the owners when the supervisor moved their due date, and the lead unit when a co-unit gave its opinion', () => {
    expect(nextReaders(PLAN_ITEM, 'in-progress', transition('extend')).map((g) => [g.reader, g.roles])).toEqual([['unit', ['owner']]]);
    const opinion = PROPOSAL_REPLY.transitions.find((t) => t.action === 'co-opinion' && t.from.includes('handling'))!;
    expect(nextReaders(PROPOSAL_REPLY, 'handling', opinion).map((g) => g.roles)).toEqual([['owner']]);
  });

  it('reads a move to another state as before', () => {
    const submit = PLAN_ITEM.transitions.find((t) => t.action === 'submit')!;
    expect(nextReaders(PLAN_ITEM, 'review', submit)).toEqual(nextReaders(PLAN_ITEM, 'review'));
  });
});
