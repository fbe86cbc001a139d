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
