import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { decide, HOTLINE_TICKET, PROPOSAL_REPLY, type TaskRole, type WorkflowDefinition } from '@duban/engine';
import { InvalidInputError } from '@duban/http';
import { ExtensionTooLongError } from './errors.js';
import type { TaskRow } from './task-row.js';
import type { TaskUpdate } from './task-writes.js';
import { applyTransition } from './transition.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
/**
 * 08:30–12:00 and 14:00–17:30 (7 working hours a day). National Day 2025: 1–8 October off,
 * Saturday 11 October a make-up workday (调休上班).
 */
const cn = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data) });
const bj = (local: string) => new Date(`${local}+08:00`);
const HOUR = 3_600_000;
const LEAD = '00000000-0000-4000-8000-00000000000a';

/** A hotline ticket as TaskStore.lock reads it. */
const ticket = (rest: Partial<TaskRow>): TaskRow => ({
  id: '00000000-0000-4000-8000-000000000001',
  ref: 'DB-00000001',
  workflow_key: 'hotline-ticket',
  workflow_version: 1,
  title: '小区噪音扰民',
  body: null,
  state: 'processing',
  state_entered_at: bj('2025-09-30T09:00:00'),
  parent_id: null,
  external_ref: null,
  priority: 'normal',
  assignee_id: null,
  due_at: bj('2025-10-13T09:00:00'),
  requested_due_at: null,
  paused_since: null,
  card: null,
  escalation_level: 0,
  progress: null,
  data: {},
  version: 3,
  created_by: null,
  created_at: bj('2025-09-30T09:00:00'),
  closed_at: null,
  paused_working_ms: 0,
  primary_department_id: LEAD,
  accepted_at: null,
  rated_at: null,
  co_opinions: [],
  audit_seq: 3,
  audit_hash: 'c'.repeat(64),
  supervising_department_ids: [],
  owners: [{ departmentId: LEAD, role: 'lead' }],
  ...rest,
});

/** Decides as the service does, then applies at `now`. */
function act(row: TaskRow, action: string, roles: TaskRole[], now: Date, input: Record<string, unknown> = {}, definition: WorkflowDefinition = HOTLINE_TICKET) {
  const decision = decide(definition, row.state, roles, action, input);
  if (decision.kind !== 'allowed') throw new Error(`not allowed: ${decision.kind}`);
  return applyTransition({
    definition,
    calendar: cn,
    row,
    transition: decision.transition,
    to: decision.to,
    action,
    input,
    actor: { id: null, role: roles.join(',') },
    requestId: 'req-1',
    now,
  });
}

describe('applyTransition: acceptance (签收), on the task’s calendar', () => {
  // Dispatched Tuesday 30 September 16:30: 1 h of the 2 working hours that day, the rest after
  // National Day, so acceptance is due Thursday 9 October 09:30.
  const dispatched = ticket({ state: 'dispatched', created_at: bj('2025-09-30T16:30:00'), state_entered_at: bj('2025-09-30T16:30:00') });

  it('is on time at 09:30 on 9 October, after eight days of holiday', () => {
    const { update, row } = act(dispatched, 'accept', ['owner'], bj('2025-10-09T09:30:00'));
    expect(update.changes).toMatchObject({ state: 'processing', accepted_at: bj('2025-10-09T09:30:00'), accepted_on_time: true });
    expect(row.accepted_at).toEqual(bj('2025-10-09T09:30:00'));
  });

  it('is late one minute after', () => {
    expect(act(dispatched, 'accept', ['owner'], bj('2025-10-09T09:31:00')).update.changes.accepted_on_time).toBe(false);
  });

  it('is counted for the transition that declares it, whatever its action is called', () => {
    const sign: WorkflowDefinition = {
      ...HOTLINE_TICKET,
      transitions: HOTLINE_TICKET.transitions.map((t) => (t.action === 'accept' ? { ...t, action: 'sign' } : t)),
    };
    expect(act(dispatched, 'sign', ['owner'], bj('2025-10-09T09:00:00'), {}, sign).update.changes.accepted_on_time).toBe(true);
    const undeclared: WorkflowDefinition = { ...HOTLINE_TICKET, transitions: HOTLINE_TICKET.transitions.map(({ kpi: _kpi, ...t }) => t) };
    const { update } = act(dispatched, 'accept', ['owner'], bj('2025-10-09T09:00:00'), {}, undeclared);
    expect(update.changes.accepted_at).toBeUndefined();
    expect(update.changes.accepted_on_time).toBeUndefined();
  });

  it('is fixed once: a task accepted before keeps its first acceptance', () => {
    const redispatched = { ...dispatched, accepted_at: bj('2025-09-30T17:00:00') };
    expect(act(redispatched, 'accept', ['owner'], bj('2025-10-10T09:00:00')).update.changes.accepted_at).toBeUndefined();
  });
});

describe('applyTransition: the pause clock (挂起/恢复)', () => {
  // Suspended Tuesday 30 September 16:30, resumed on the make-up Saturday 11 October 09:00:
  // 1 h + 7 h (9 Oct) + 7 h (10 Oct) + 0.5 h = 15.5 working hours paused.
  const suspended = ticket({ state: 'suspended', paused_since: bj('2025-09-30T16:30:00'), due_at: bj('2025-10-10T12:00:00'), paused_working_ms: HOUR });

  it('moves the due date on by the working time paused when the ticket is resumed', () => {
    const { update, row } = act(suspended, 'resume', ['owner'], bj('2025-10-11T09:00:00'));
    // From Friday 10 October 12:00: 3.5 h that afternoon, 7 h on Saturday 11 (make-up day),
    // Sunday off, 3.5 h on Monday morning and 1.5 h after lunch: Monday 13 October 15:30.
    expect(update.changes.due_at).toEqual(bj('2025-10-13T15:30:00'));
    expect(update.changes.paused_working_ms).toBe(HOUR + 15.5 * HOUR);
    expect(update.changes.paused_since).toBeNull();
    expect(update.links[0]!.data).toEqual({ pausedWorkingMs: 15.5 * HOUR });
    expect(row.state).toBe('processing');
    // The overdue timer follows the new due date.
    const overdue = (update.timers as { replace: { kind: string; dueAt: Date }[] }).replace.find((t) => t.kind === 'overdue');
    expect(overdue?.dueAt).toEqual(bj('2025-10-13T15:30:00'));
  });

  it('stops the clock when the ticket is suspended', () => {
    const { update } = act(ticket({}), 'suspend', ['owner'], bj('2025-10-09T10:00:00'), { comment: '等待市民补充材料' });
    expect(update.changes).toMatchObject({ state: 'suspended', paused_since: bj('2025-10-09T10:00:00') });
    // While paused the due date is unknown: no reminder, overdue or escalation is planned.
    expect((update.timers as { replace: { kind: string }[] }).replace.map((t) => t.kind)).toEqual([]);
  });
});

describe('applyTransition: closing (办结) and reopening (重办)', () => {
  // Created Tuesday 30 September 09:00, closed on the make-up Saturday 11 October 12:00:
  // 6.5 h + 7 h + 7 h + 3.5 h = 24 working hours, less 3.5 h suspended = 20.5 h = 20.5/7 working days.
  const open = ticket({ paused_working_ms: 3.5 * HOUR });

  it('fixes handling working days and closing early, tells everyone it closed, and gives the dispatcher a working day to call back', () => {
    const { update } = act(open, 'close', ['owner'], bj('2025-10-11T12:00:00'), { comment: '已协调物业整改' });
    expect(update.changes).toMatchObject({ state: 'closed', closed_at: bj('2025-10-11T12:00:00'), closed_early: true });
    expect(update.changes.handling_working_days).toBeCloseTo(20.5 / 7, 12);
    expect(update.events.map((e) => e.event)).toEqual(['task.transitioned', 'task.closed']);
    // Closed at noon on the make-up Saturday: the working day runs from 14:00 to Monday 14:00.
    expect(update.timers).toEqual({
      replace: [{ key: `callback:closed:${bj('2025-10-11T12:00:00').toISOString()}`, kind: 'callback', dueAt: bj('2025-10-13T14:00:00'), notify: ['creator'] }],
    });
  });

  it('is not early when it closes on the due day, even before the due hour', () => {
    expect(act(open, 'close', ['owner'], bj('2025-10-13T08:45:00'), { comment: '办结' }).update.changes.closed_early).toBe(false);
  });

  it('voids the closing facts when an unsatisfied rating reopens the ticket', () => {
    const closed = ticket({ state: 'closed', closed_at: bj('2025-10-11T12:00:00') });
    const { update } = act(closed, 'rate', ['supervisor'], bj('2025-10-13T10:00:00'), { rating: 'unsatisfied' });
    expect(update.changes).toMatchObject({
      state: 'processing',
      rating: 'unsatisfied',
      data: { rating: 'unsatisfied' },
      closed_at: null,
      handling_working_days: null,
      closed_early: null,
    });
  });
});

describe('applyTransition: extensions, returns and the audit link', () => {
  it('sets the new due date, restarts escalation and dates the extension for the primary lead', () => {
    const late = ticket({ escalation_level: 1, card: 'yellow' });
    const { update } = act(late, 'extend', ['supervisor'], bj('2025-10-11T10:00:00'), { dueAt: '2025-10-20T09:00:00+08:00', comment: '需跨部门协调' });
    expect(update.changes).toMatchObject({ due_at: bj('2025-10-20T09:00:00'), escalation_level: 0 });
    expect(update.facts).toEqual([{ kind: 'extension', departmentId: LEAD, at: bj('2025-10-11T10:00:00') }]);
    expect(update.links[0]!.data).toEqual({
      comment: '需跨部门协调',
      dueAt: { from: bj('2025-10-13T09:00:00').toISOString(), to: bj('2025-10-20T09:00:00').toISOString() },
    });
  });

  it('refuses a new due date that is not in the future', () => {
    expect(() => act(ticket({}), 'extend', ['supervisor'], bj('2025-10-11T10:00:00'), { dueAt: '2025-10-11T09:00:00+08:00', comment: '延期' })).toThrow(
      InvalidInputError,
    );
  });

  it('dates a return (退单) and nothing else', () => {
    const { update } = act(ticket({ state: 'dispatched' }), 'return', ['owner'], bj('2025-10-09T09:00:00'), { comment: '不属于本单位职责' });
    expect(update.facts).toEqual([{ kind: 'return', departmentId: LEAD, at: bj('2025-10-09T09:00:00') }]);
    expect(update.changes.accepted_at).toBeUndefined();
  });

  it('refuses an input the transition does not take', () => {
    expect(() => act(ticket({}), 'close', ['owner'], bj('2025-10-09T09:00:00'), { comment: '办结', progress: 50 })).toThrow('"close" does not take progress');
  });

  it('records the files the action carries (a reply with its signed letter) in its audit entry, and nothing of them without', () => {
    const letter = '00000000-0000-4000-8000-0000000000f1';
    const decision = decide(HOTLINE_TICKET, 'processing', ['owner'], 'close', { comment: '已答复' });
    if (decision.kind !== 'allowed') throw new Error(decision.kind);
    const base = { definition: HOTLINE_TICKET, calendar: cn, row: ticket({}), transition: decision.transition, to: decision.to, action: 'close' };
    const at = { input: { comment: '已答复' }, actor: { id: null, role: 'owner' }, requestId: null, now: bj('2025-10-09T09:00:00') };
    expect(applyTransition({ ...base, ...at, attachmentIds: [letter] }).update.links[0]!.data).toEqual({ comment: '已答复', attachmentIds: [letter] });
    expect(applyTransition({ ...base, ...at, attachmentIds: [] }).update.links[0]!.data).toEqual({ comment: '已答复' });
  });

  it('appends the next link to the chain the row ends, and bumps the version once', () => {
    const { update, row } = act(ticket({}), 'close', ['owner'], bj('2025-10-09T09:00:00'), { comment: '办结' });
    expect(update.links).toHaveLength(1);
    expect(update.links[0]).toMatchObject({
      seq: 4,
      prevHash: 'c'.repeat(64),
      action: 'close',
      fromState: 'processing',
      toState: 'closed',
      requestId: 'req-1',
    });
    expect(row).toMatchObject({ version: 4, audit_seq: 4, audit_hash: update.links[0]!.hash });
    expect(update.versionBump).toBe(1);
  });
});

describe('applyTransition: the 12345 rules — capped extensions and the call-back (回访)', () => {
  // Due Wednesday 30 September 2026, end of day; 国庆 1–7 October off, Saturday 10 October worked.
  const asked = ticket({ state: 'extension-requested', due_at: bj('2026-09-30T23:59:59.999') });
  const approve = (dueAt: string) => act(asked, 'approve-extension', ['supervisor'], bj('2026-09-29T10:00:00'), { dueAt, comment: '同意延期' });

  it('approves an extension up to the end of the 10th working day after the due date in force', () => {
    expect(approve('2026-10-20T23:59:59.999+08:00').update.changes.due_at).toEqual(bj('2026-10-20T23:59:59.999'));
  });

  it('refuses one a millisecond longer, naming dueAt and the latest date in Chinese', () => {
    let error: unknown;
    try {
      approve('2026-10-21T00:00:00+08:00');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ExtensionTooLongError);
    const e = error as ExtensionTooLongError;
    expect(e.extensions).toMatchObject({ latestDueAt: bj('2026-10-20T23:59:59.999').toISOString(), errors: [{ path: 'dueAt' }] });
    expect(e.message).toMatch(/^延期不得超过10个工作日，新的办理期限最晚为2026年10月20日 23:59。/);
  });

  it('records the date a request asks for without moving the due date, and holds it to the same cap', () => {
    const processing = ticket({ due_at: bj('2026-09-30T23:59:59.999') });
    const request = (dueAt: string) => act(processing, 'request-extension', ['owner'], bj('2026-09-29T10:00:00'), { dueAt, comment: '需协调' });
    const { update, row } = request('2026-10-16T17:30:00+08:00');
    expect(update.changes).toMatchObject({ state: 'extension-requested', requested_due_at: bj('2026-10-16T17:30:00') });
    expect(update.changes.due_at).toBeUndefined();
    expect(update.changes.escalation_level).toBeUndefined();
    expect(update.links[0]!.data).toEqual({ comment: '需协调', requestedDueAt: bj('2026-10-16T17:30:00').toISOString() });
    expect(update.events[0]!.payload).toMatchObject({
      action: 'request-extension',
      actionLabel: '申请延期',
      toLabel: '延期审核中',
      comment: '需协调',
      dueAt: bj('2026-09-30T23:59:59.999').toISOString(),
      requestedDueAt: bj('2026-10-16T17:30:00').toISOString(),
    });
    expect(row.due_at).toEqual(bj('2026-09-30T23:59:59.999'));
    expect(() => request('2026-10-21T00:00:00+08:00')).toThrow(ExtensionTooLongError);
    expect(() => request('2026-09-29T09:00:00+08:00')).toThrow(InvalidInputError);
  });

  it('grants the requested date when the approval gives none, and settles the request either way', () => {
    const pending = ticket({ state: 'extension-requested', due_at: bj('2026-09-30T23:59:59.999'), requested_due_at: bj('2026-10-16T17:30:00') });
    const granted = act(pending, 'approve-extension', ['supervisor'], bj('2026-09-29T10:00:00'), { comment: '同意' }).update;
    expect(granted.changes).toMatchObject({ state: 'processing', due_at: bj('2026-10-16T17:30:00'), requested_due_at: null, escalation_level: 0 });
    expect(granted.links[0]!.data.dueAt).toEqual({
      from: bj('2026-09-30T23:59:59.999').toISOString(),
      to: bj('2026-10-16T17:30:00').toISOString(),
      granted: 'requested',
    });
    const refused = act(pending, 'reject-extension', ['supervisor'], bj('2026-09-29T10:00:00'), { comment: '不同意' }).update;
    expect(refused.changes).toMatchObject({ state: 'processing', requested_due_at: null });
    expect(refused.changes.due_at).toBeUndefined();
    const none = ticket({ state: 'extension-requested' });
    expect(() => act(none, 'approve-extension', ['supervisor'], bj('2025-10-09T10:00:00'), { comment: '同意' })).toThrow(/dueAt|请给出新的办理期限/);
  });

  it('records the rating as the call-back: the pending call-back is cancelled and the rating dated', () => {
    const closed = ticket({ state: 'closed', closed_at: bj('2026-09-30T16:00:00'), state_entered_at: bj('2026-09-30T16:00:00') });
    const { update, row } = act(closed, 'rate', ['supervisor'], bj('2026-10-08T09:00:00'), { rating: 'satisfied' });
    expect(update.changes).toMatchObject({ rating: 'satisfied', rated_at: bj('2026-10-08T09:00:00') });
    expect(update.timers).toEqual({ replace: [] });
    expect(row.state).toBe('closed');
  });

  it('asks for a new call-back when a ticket reopened by an unsatisfied rating closes again', () => {
    const reopened = ticket({ rated_at: bj('2026-10-08T09:00:00') });
    const { update } = act(reopened, 'close', ['owner'], bj('2026-10-09T15:00:00'), { comment: '已重新办理' });
    expect(update.timers).toEqual({
      replace: [{ key: `callback:closed:${bj('2026-10-09T15:00:00').toISOString()}`, kind: 'callback', dueAt: bj('2026-10-10T15:00:00'), notify: ['creator'] }],
    });
  });
});

describe('applyTransition: the co-units’ opinions (会办意见) and the reply letter of a proposal', () => {
  const CO1 = '00000000-0000-4000-8000-0000000000c1';
  const CO2 = '00000000-0000-4000-8000-0000000000c2';
  const assigned = bj('2025-09-02T10:00:00');
  const proposal = ticket({
    workflow_key: 'proposal-reply',
    state: 'assigned',
    created_at: assigned,
    state_entered_at: assigned,
    due_at: bj('2025-12-01T10:00:00'),
    owners: [
      { departmentId: LEAD, role: 'lead' },
      { departmentId: CO1, role: 'co' },
      { departmentId: CO2, role: 'co' },
    ],
  });
  const opinion = (row: TaskRow, unit: { id: string; name: string }, now: Date) => {
    const input = { comment: `${unit.name}：同意。` };
    const decision = decide(PROPOSAL_REPLY, row.state, ['co-owner'], 'co-opinion', input);
    if (decision.kind !== 'allowed') throw new Error(decision.kind);
    const actor = { id: null, role: 'co-owner' };
    return applyTransition({
      definition: PROPOSAL_REPLY,
      calendar: cn,
      row,
      transition: decision.transition,
      to: decision.to,
      action: 'co-opinion',
      input,
      coUnit: unit,
      actor,
      requestId: null,
      now,
    });
  };
  const coKinds = (update: TaskUpdate) =>
    (update.timers && 'replace' in update.timers ? update.timers.replace : []).map((t) => t.kind).filter((k) => k.startsWith('co_opinion'));

  it('records each co-unit’s opinion and plans the co-opinion timers until the last one has answered', () => {
    const first = opinion(proposal, { id: CO1, name: '政务服务科' }, bj('2025-09-10T09:00:00'));
    expect(first.update.coOpinions).toEqual([
      { departmentId: CO1, at: bj('2025-09-10T09:00:00'), comment: '政务服务科：同意。', attachmentIds: [], actorId: null },
    ]);
    expect(first.update.links[0]!.data).toEqual({ comment: '政务服务科：同意。', departmentId: CO1 });
    expect(first.row).toMatchObject({
      state: 'assigned',
      co_opinions: [{ departmentId: CO1, departmentName: '政务服务科', at: bj('2025-09-10T09:00:00').toISOString() }],
    });
    expect(coKinds(first.update)).toEqual(['co_opinion_reminder', 'co_opinion_late']);

    const second = opinion(first.row, { id: CO2, name: '市农业农村局' }, bj('2025-09-11T09:00:00'));
    expect(second.row.co_opinions.map((o) => o.departmentId)).toEqual([CO1, CO2]);
    expect(coKinds(second.update)).toEqual([]);
    // A revised opinion replaces the unit's earlier one.
    const revised = opinion(second.row, { id: CO1, name: '政务服务科' }, bj('2025-09-12T09:00:00'));
    expect(revised.row.co_opinions.map((o) => [o.departmentId, o.at])).toEqual([
      [CO2, bj('2025-09-11T09:00:00').toISOString()],
      [CO1, bj('2025-09-12T09:00:00').toISOString()],
    ]);
  });

  it('writes a reply letter’s contact and cc list, trimmed and without repeats, into the audit entry', () => {
    const handling = { ...proposal, state: 'handling' };
    const letter = { comment: '答复如下。', contact: { name: ' 刘绮璇 ', phone: '38920239 ' }, cc: ['市人大代表工委', ' 市政府督查室', '市政府督查室'] };
    const { update } = act(handling, 'reply', ['owner'], bj('2025-10-20T10:00:00'), { ...letter, attachmentIds: ['f'] }, PROPOSAL_REPLY);
    expect(update.links[0]!.data).toEqual({ comment: '答复如下。', contact: { name: '刘绮璇', phone: '38920239' }, cc: ['市人大代表工委', '市政府督查室'] });
    expect(() =>
      act(
        handling,
        'extend',
        ['supervisor'],
        bj('2025-10-20T10:00:00'),
        { comment: 'x', dueAt: bj('2025-12-20T10:00:00'), cc: ['市政府督查室'] },
        PROPOSAL_REPLY,
      ),
    ).toThrow(InvalidInputError);
  });
});
