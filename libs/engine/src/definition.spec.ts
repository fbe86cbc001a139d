import { describe, expect, it } from '@jest/globals';
import { HOTLINE_TICKET, PLAN_ITEM, PROPOSAL_REPLY } from './builtin.js';
import { stateOf, type WorkflowDefinition, waitsForChildren } from './definition.js';

const transition = (definition: WorkflowDefinition, action: string) => definition.transitions.find((t) => t.action === action)!;

describe('waitsForChildren', () => {
  it('holds back the built-in actions that report a task done while a sub-unit’s share is open', () => {
    expect(waitsForChildren(PLAN_ITEM, transition(PLAN_ITEM, 'submit'))).toBe(true);
    expect(waitsForChildren(HOTLINE_TICKET, transition(HOTLINE_TICKET, 'close'))).toBe(true);
    expect(waitsForChildren(PROPOSAL_REPLY, transition(PROPOSAL_REPLY, 'reply'))).toBe(true);
  });

  it('waits, unless told otherwise, for a transition into a terminal state only', () => {
    // 审核通过 leads into 已完成 (terminal) without saying: it waits.
    expect(waitsForChildren(PLAN_ITEM, transition(PLAN_ITEM, 'approve'))).toBe(true);
    // 进度填报 and 签收 stay open: children do not matter.
    expect(waitsForChildren(PLAN_ITEM, transition(PLAN_ITEM, 'report'))).toBe(false);
    expect(waitsForChildren(HOTLINE_TICKET, transition(HOTLINE_TICKET, 'accept'))).toBe(false);
  });

  it('does not hold back a move from a closed state: the call-back rating and its 不满意 branch back to processing close nothing', () => {
    const rate = transition(HOTLINE_TICKET, 'rate');
    expect(waitsForChildren(HOTLINE_TICKET, rate, 'closed', 'closed')).toBe(false);
    expect(waitsForChildren(HOTLINE_TICKET, rate, 'closed', 'processing')).toBe(false);
    expect(waitsForChildren(HOTLINE_TICKET, transition(HOTLINE_TICKET, 'close'), 'processing', 'closed')).toBe(true);
  });

  it('follows the definition when it says so, either way', () => {
    const close = { ...transition(HOTLINE_TICKET, 'close'), waitsForChildren: false };
    expect(waitsForChildren(HOTLINE_TICKET, close)).toBe(false);
    const report = { ...transition(PLAN_ITEM, 'report'), waitsForChildren: true };
    expect(waitsForChildren(PLAN_ITEM, report)).toBe(true);
  });
});

describe('stateOf', () => {
  it('knows the engine’s withdrawn state in every workflow, final, unless the definition has its own', () => {
    expect(stateOf(PLAN_ITEM, 'withdrawn')).toEqual({ key: 'withdrawn', label: '已撤销', terminal: true });
    expect(stateOf(PLAN_ITEM, 'nowhere')).toBeUndefined();
    const own = { ...PLAN_ITEM, states: [...PLAN_ITEM.states, { key: 'withdrawn', label: '已撤回' }] };
    expect(stateOf(own, 'withdrawn')).toEqual({ key: 'withdrawn', label: '已撤回' });
  });
});
