import { describe, expect, it } from '@jest/globals';
import { HOTLINE_TICKET, PLAN_ITEM, PROPOSAL_REPLY } from './builtin.js';
import { withInferredKpiRoles, type WorkflowDefinition } from './definition.js';
import { validateDefinition } from './validate.js';

const kpis = (definition: WorkflowDefinition) =>
  Object.fromEntries(definition.transitions.filter((t) => t.kpi).map((t) => [`${t.action}@${t.from.join('|')}`, t.kpi]));
const undeclared = (definition: WorkflowDefinition): WorkflowDefinition => ({
  ...definition,
  transitions: definition.transitions.map(({ kpi: _kpi, ...t }) => t),
});

describe('KPI roles of transitions', () => {
  it('are declared by the built-in workflows for every acceptance, return and extension', () => {
    expect(kpis(HOTLINE_TICKET)).toEqual({
      'accept@dispatched': 'acceptance',
      'return@dispatched': 'return',
      'approve-extension@extension-requested': 'extension',
      'extend@processing': 'extension',
    });
    expect(kpis(PLAN_ITEM)).toEqual({
      'accept@assigned': 'acceptance',
      'approve-extension@extension-requested': 'extension',
      'extend@in-progress': 'extension',
    });
    expect(kpis(PROPOSAL_REPLY)).toEqual({ 'accept@assigned': 'acceptance', 'extend@handling': 'extension' });
  });

  it('are read by action name for versions published before they were declared, exactly as the reports counted then', () => {
    for (const builtin of [HOTLINE_TICKET, PLAN_ITEM, PROPOSAL_REPLY]) expect(kpis(withInferredKpiRoles(undeclared(builtin)))).toEqual(kpis(builtin));
  });

  it('accept an admin’s acceptance called "sign"', () => {
    const sign = { ...HOTLINE_TICKET, transitions: HOTLINE_TICKET.transitions.map((t) => (t.action === 'accept' ? { ...t, action: 'sign' } : t)) };
    expect(validateDefinition(sign)).toEqual([]);
  });

  it('are refused when unknown, or when what they count cannot happen', () => {
    const withKpi = (action: string, kpi: unknown) => ({
      ...HOTLINE_TICKET,
      transitions: HOTLINE_TICKET.transitions.map((t) => (t.action === action ? { ...t, kpi } : t)),
    });
    expect(validateDefinition(withKpi('close', 'closing'))).toEqual([
      { path: 'transitions[9].kpi', message: '须为以下之一：acceptance、return、extension。must be one of acceptance, return, extension' },
    ]);
    // An extension sets a new due date: the transition must take one, and set it rather than ask for it.
    expect(validateDefinition(withKpi('close', 'extension'))).toEqual([
      {
        path: 'transitions[9].requires',
        message: '计为延期的流转须需要 dueAt（或批准期限）。must include dueAt (or the transition grant it) when the transition counts as an extension',
      },
    ]);
    expect(validateDefinition(withKpi('request-extension', 'extension'))).toEqual([
      { path: 'transitions[5].kpi', message: '申请期限不算延期，批准它的流转才算。a request for a date is not an extension: the transition that grants it is' },
    ]);
    // Acceptance (签收) is of a task just assigned: it leaves the initial state.
    expect(validateDefinition(withKpi('resume', 'acceptance'))).toEqual([
      {
        path: 'transitions[4].from',
        message: '计为签收的流转须从初始状态“dispatched”出发。must include the initial state "dispatched" when the transition counts as acceptance',
      },
    ]);
  });
});
