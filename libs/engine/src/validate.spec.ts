import { describe, expect, it } from '@jest/globals';
import { BUILTIN_WORKFLOWS, HOTLINE_TICKET, PROPOSAL_REPLY } from './builtin.js';
import { validateDefinition } from './validate.js';

const copy = () => JSON.parse(JSON.stringify(HOTLINE_TICKET));
const paths = (input: unknown) => validateDefinition(input).map((e) => e.path);

describe('validateDefinition: whole definitions and states', () => {
  it.each(BUILTIN_WORKFLOWS.map((w) => [w.key, w]))('accepts the built-in workflow %s', (_key, workflow) => {
    expect(validateDefinition(workflow)).toEqual([]);
  });

  it('accepts the example of API.md as written', () => {
    const example = {
      key: 'hotline-ticket',
      name: '12345热线工单',
      calendar: 'cn',
      deadline: '5wd',
      states: [
        { key: 'dispatched', label: '待签收', initial: true, sla: { limit: '2wh', breach: { notify: ['owner', 'supervisor'], card: 'yellow' } } },
        { key: 'processing', label: '办理中' },
        { key: 'suspended', label: '挂起', pauseClock: true },
        { key: 'closed', label: '已办结', terminal: true },
      ],
      transitions: [
        { action: 'accept', label: '签收', from: ['dispatched'], to: 'processing', allowed: ['owner'] },
        { action: 'extend', label: '延期', from: ['processing'], to: 'processing', allowed: ['supervisor'], requires: ['dueAt', 'comment'] },
        { action: 'close', label: '办结', from: ['processing'], to: 'closed', allowed: ['owner'], requires: ['comment'] },
      ],
      reminders: [{ before: '1wd', notify: ['owner'] }],
      escalations: [
        { level: 1, after: '0m', notify: ['owner', 'supervisor'], card: 'yellow' },
        { level: 2, after: '2wd', notify: ['supervisor'], card: 'red' },
      ],
    };
    // As printed, "suspended" has no way in: the validator says so and nothing else.
    expect(validateDefinition(example)).toEqual([{ path: 'states[2]', message: expect.stringContaining('cannot be reached') }]);
  });

  it('words every error Chinese first, the English after', () => {
    const broken = { ...copy(), deadline: 'soon', lateNotices: 'never', extra: 1, reminders: [{ before: 'x', notify: ['nobody'], card: 'blue' }] };
    broken.states[0].sla.limit = '2 hours';
    broken.transitions[0].to = 'nowhere';
    broken.transitions[1].requires = ['signature'];
    const errors = validateDefinition(broken);
    expect(errors.length).toBeGreaterThanOrEqual(8);
    for (const e of errors) expect(e.message).toMatch(/^[“\u4e00-\u9fff][^。]*。[^\u4e00-\u9fff]*$/u);
  });

  it('refuses what is not an object', () => {
    expect(validateDefinition([])).toEqual([{ path: '', message: expect.stringContaining('JSON object') }]);
    expect(validateDefinition(null)).toHaveLength(1);
  });

  it('wants exactly one initial state', () => {
    const none = copy();
    none.states[0].initial = false;
    expect(validateDefinition(none)).toContainEqual({ path: 'states', message: expect.stringContaining('none is') });
    const two = copy();
    two.states[1].initial = true;
    expect(paths(two)).toContain('states[1].initial');
  });

  it('wants a terminal state, reachable from the initial one', () => {
    const none = copy();
    const closed = none.states.findIndex((s: { key: string }) => s.key === 'closed');
    none.states[closed].terminal = false;
    expect(paths(none)).toContain('states');
    const unreachable = copy();
    unreachable.transitions = unreachable.transitions.filter((t: { to: string }) => t.to !== 'closed');
    expect(validateDefinition(unreachable)).toEqual(
      expect.arrayContaining([
        { path: `states[${HOTLINE_TICKET.states.findIndex((s) => s.key === 'closed')}]`, message: expect.stringContaining('cannot be reached') },
        { path: 'states', message: '从初始状态无法到达任何终止状态。no terminal state can be reached from the initial state' },
      ]),
    );
  });
});

describe('validateDefinition: transitions, fields and timers', () => {
  it('names unknown states in transitions', () => {
    const d = copy();
    d.transitions[2].to = 'nowhere';
    d.transitions[0].from = ['dispatched', 'limbo'];
    expect(paths(d)).toEqual(expect.arrayContaining(['transitions[2].to', 'transitions[0].from[1]']));
  });

  it('names duplicate state keys and duplicate transitions', () => {
    const d = copy();
    d.states[2].key = 'processing';
    d.transitions.push({ ...d.transitions[0] });
    expect(paths(d)).toEqual(expect.arrayContaining(['states[2].key', `transitions[${d.transitions.length - 1}].action`]));
  });

  it('names bad durations, roles, inputs and cards', () => {
    const d = copy();
    d.deadline = '5 days';
    d.states[0].sla.limit = 'soon';
    d.states[0].sla.breach.card = 'green';
    d.transitions[0].allowed = ['owner', 'mayor'];
    d.transitions[2].requires = ['signature'];
    d.reminders[0].before = '-1wd';
    d.escalations[1].notify = [];
    expect(paths(d)).toEqual(
      expect.arrayContaining([
        'deadline',
        'states[0].sla.limit',
        'states[0].sla.breach.card',
        'transitions[0].allowed[1]',
        'transitions[2].requires[0]',
        'reminders[0].before',
        'escalations[1].notify',
      ]),
    );
  });

  it('wants labels on states, and escalation levels that increase strictly', () => {
    const d = copy();
    delete d.states[1].label;
    d.escalations[1].level = 1;
    expect(paths(d)).toEqual(expect.arrayContaining(['states[1].label', 'escalations[1].level']));
  });

  it('accepts a transition without label and refuses unknown fields', () => {
    const d = copy();
    delete d.transitions[0].label;
    expect(validateDefinition(d)).toEqual([]);
    d.transitions[0].allow = ['owner'];
    d.colour = 'red';
    expect(paths(d)).toEqual(expect.arrayContaining(['transitions[0].allow', 'colour']));
  });

  it('checks the progress block', () => {
    const d = copy();
    d.progress = { every: 'year', day: 31, notify: ['owner'] };
    expect(paths(d)).toEqual(expect.arrayContaining(['progress.every', 'progress.day']));
  });

  it('checks rating branches, action limits and urgent limits', () => {
    const bad = copy();
    const rate = bad.transitions.find((t: { action: string }) => t.action === 'rate');
    rate.branches = [{ rating: ['angry'], to: 'nowhere' }];
    bad.transitions.find((t: { action: string }) => t.action === 'request-extension').limit = 0;
    bad.urgent = { deadline: 'soon', sla: { limbo: '30m' } };
    const i = bad.transitions.indexOf(rate);
    const j = bad.transitions.findIndex((t: { action: string }) => t.action === 'request-extension');
    expect(paths(bad)).toEqual(
      expect.arrayContaining([
        `transitions[${i}].branches[0].rating`,
        `transitions[${i}].branches[0].to`,
        `transitions[${j}].limit`,
        'urgent.deadline',
        'urgent.sla.limbo',
      ]),
    );
  });
});

describe('validateDefinition: the 12345 rules (windows, extension caps, warnings, call-backs, end-of-day deadlines)', () => {
  const at = (d: { transitions: { action: string }[] }, action: string) => d.transitions.findIndex((t) => t.action === action);
  const closedAt = HOTLINE_TICKET.states.findIndex((s) => s.key === 'closed');

  it('accepts the end of the N-th working day as a duration, and a yellow warning before the due date', () => {
    const d = copy();
    d.deadline = '13wde';
    d.reminders = [{ before: '1wd', notify: ['owner'], card: 'yellow' }];
    expect(validateDefinition(d)).toEqual([]);
    d.deadline = '13ewd';
    d.reminders[0].card = 'orange';
    expect(validateDefinition(d)).toEqual([
      { path: 'deadline', message: '须为时长，如 30m、24h、3d、2wh、5wd 或 13wde。must be a duration such as 30m, 24h, 3d, 2wh, 5wd or 13wde' },
      { path: 'reminders[0].card', message: '须为 "yellow"（黄牌）或 "red"（红牌）。must be "yellow" or "red"' },
    ]);
  });

  it('names each broken part of an action window', () => {
    const d = copy();
    const ret = at(d, 'return');
    const ext = at(d, 'request-extension');
    const close = at(d, 'close');
    d.transitions[ret].window = { within: '2 days', after: 'dispatch' };
    d.transitions[ext].window = { beforeDue: 'yes' };
    d.transitions[close].window = {};
    expect(validateDefinition(d)).toEqual(
      expect.arrayContaining([
        { path: `transitions[${ret}].window.after`, message: '未知字段“after”。unknown field "after"' },
        { path: `transitions[${ret}].window.within`, message: expect.stringContaining('duration') },
        { path: `transitions[${ext}].window.beforeDue`, message: '须为 true 或 false。must be true or false' },
        { path: `transitions[${close}].window`, message: expect.stringContaining('within') },
      ]),
    );
    d.transitions[close].window = 'before due';
    expect(paths(d)).toContain(`transitions[${close}].window`);
  });

  it('caps an extension only where a new due date is asked for, with a duration', () => {
    const d = copy();
    const approve = at(d, 'approve-extension');
    const close = at(d, 'close');
    d.transitions[approve].maxExtension = 'ten days';
    d.transitions[close].maxExtension = '10wde';
    expect(validateDefinition(d)).toEqual([
      { path: `transitions[${approve}].maxExtension`, message: expect.stringContaining('duration') },
      {
        path: `transitions[${close}].maxExtension`,
        message: '仅适用于需要、申请或批准 dueAt 的流转。applies only to a transition that requires, proposes or grants dueAt',
      },
    ]);
  });

  it('wants a call-back to have a deadline, recipients and a rating to be done by', () => {
    const d = copy();
    d.states[closedAt].callback = { within: 'soon', notify: ['hotline'], by: 'phone' };
    expect(paths(d)).toEqual(
      expect.arrayContaining([`states[${closedAt}].callback.within`, `states[${closedAt}].callback.notify[0]`, `states[${closedAt}].callback.by`]),
    );
    const unrated = copy();
    unrated.transitions = unrated.transitions.filter((t: { action: string }) => t.action !== 'rate');
    expect(validateDefinition(unrated)).toEqual([
      {
        path: `states[${closedAt}].callback`,
        message:
          '回访以评价完成：状态“closed”须有一个需要 rating 的流出流转。the call-back is done by a rating: "closed" needs a transition from it that requires rating',
      },
    ]);
  });

  it('takes lateNotices "working" or "exact" only', () => {
    const d = copy();
    d.lateNotices = 'exact';
    expect(validateDefinition(d)).toEqual([]);
    d.lateNotices = 'asap';
    expect(validateDefinition(d)).toEqual([{ path: 'lateNotices', message: '须为以下之一：working、exact。must be one of working, exact' }]);
  });
});

describe('validateDefinition: proposals (co-units’ opinions, reply letters)', () => {
  it('checks the co-units’ opinions: a duration, recipients, and a transition co-owners take to give them', () => {
    const proposal = () => JSON.parse(JSON.stringify(PROPOSAL_REPLY));
    const d = proposal();
    const reminders = [{ before: '5 days', notify: ['co-unit'] }, 'soon'];
    d.coOpinions = { action: 'co-opinion', within: 'a month', reminders, late: { notify: [], card: 'red' } };
    expect(validateDefinition(d)).toEqual([
      { path: 'coOpinions.within', message: expect.stringContaining('duration') },
      { path: 'coOpinions.reminders[0].before', message: expect.stringContaining('duration') },
      { path: 'coOpinions.reminders[0].notify[0]', message: expect.stringContaining('unknown role "co-unit"') },
      { path: 'coOpinions.reminders[1]', message: '须为含 before 和 notify 的对象。must be an object with before and notify' },
      { path: 'coOpinions.late.card', message: '未知字段“card”。unknown field "card"' },
      { path: 'coOpinions.late.notify', message: expect.stringContaining('non-empty list of roles') },
    ]);
    const unknown = proposal();
    unknown.coOpinions.action = 'opinion';
    expect(validateDefinition(unknown)).toEqual([{ path: 'coOpinions.action', message: '没有流转“opinion”。no transition "opinion"' }]);
    const byLead = proposal();
    byLead.coOpinions.action = 'accept';
    expect(validateDefinition(byLead)).toEqual([
      {
        path: 'coOpinions.action',
        message: '会办意见由协办单位提交：每个“accept”流转都须允许 co-owner。co-units give their opinion: every "accept" transition must allow co-owner',
      },
    ]);
    const extra = proposal();
    extra.coOpinions = { within: '30d', every: 'week' };
    expect(paths(extra)).toEqual(['coOpinions.every', 'coOpinions.action']);
  });

  it('takes the reply letter’s inputs: contact, cc and attachment', () => {
    const d = JSON.parse(JSON.stringify(PROPOSAL_REPLY));
    expect(d.transitions.find((t: { action: string }) => t.action === 'reply').requires).toEqual(['comment', 'contact', 'cc', 'attachment']);
    d.transitions.find((t: { action: string }) => t.action === 'reply').requires.push('signature');
    expect(paths(d)).toEqual([`transitions[${d.transitions.findIndex((t: { action: string }) => t.action === 'reply')}].requires[4]`]);
  });
});

describe('validateDefinition: extension requests and their grants', () => {
  const at = (d: { transitions: { action: string }[] }, action: string) => d.transitions.findIndex((t) => t.action === action);

  it('takes proposes and grants of "dueAt" only, never both on one transition, and a grant only where a date is asked for', () => {
    const d = copy();
    const request = at(d, 'request-extension');
    const approve = at(d, 'approve-extension');
    d.transitions[approve].proposes = 'dueAt';
    d.transitions[at(d, 'close')].grants = 'due';
    expect(validateDefinition(d)).toEqual([
      { path: `transitions[${approve}].grants`, message: '同一流转不能既申请又批准办理期限。a transition cannot both propose and grant a due date' },
      {
        path: `transitions[${approve}].kpi`,
        message: '申请期限不算延期，批准它的流转才算。a request for a date is not an extension: the transition that grants it is',
      },
      { path: `transitions[${at(d, 'close')}].grants`, message: '须为 "dueAt"。must be "dueAt"' },
    ]);
    const unasked = copy();
    delete unasked.transitions[request].proposes;
    expect(validateDefinition(unasked)).toEqual([
      {
        path: `transitions[${approve}].grants`,
        message:
          '批准的是申请的期限，但没有流转申请期限（proposes: "dueAt"）；或改为需要 dueAt。' +
          'grants the date a request asked for, but no transition proposes one (proposes: "dueAt"); or require dueAt',
      },
    ]);
  });
});

describe('validateDefinition: built-in acts', () => {
  it('refuses a transition named after a built-in act (urge, card, withdraw-card)', () => {
    const d = copy();
    d.transitions[0].action = 'urge';
    d.transitions[1].action = 'withdraw-card';
    const errors = validateDefinition(d);
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'transitions[0].action', message: expect.stringContaining('催办') },
        { path: 'transitions[1].action', message: expect.stringContaining('built-in act') },
      ]),
    );
  });
});

describe('validateDefinition: waitsForChildren', () => {
  it('takes true or false on a transition', () => {
    const ok = copy();
    ok.transitions[0].waitsForChildren = false;
    expect(validateDefinition(ok)).toEqual([]);
  });

  it('refuses anything else, naming the transition', () => {
    const bad = copy();
    bad.transitions[1].waitsForChildren = 'yes';
    expect(validateDefinition(bad)).toEqual([{ path: 'transitions[1].waitsForChildren', message: '须为 true 或 false。must be true or false' }]);
  });
});
