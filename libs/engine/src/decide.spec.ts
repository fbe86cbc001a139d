import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { HOTLINE_TICKET, PROPOSAL_REPLY } from './builtin.js';
import { type ActionClock, allowedActions, decide, latestDueAt, limitOf } from './decide.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
/** 2026: Sunday 20 September worked (调休), 中秋 25–27 September and 国庆 1–7 October off, Saturday 10 October worked. */
const cn = new BusinessCalendar({ days: fromChineseDays(data) });
const bj = (local: string) => new Date(`${local}+08:00`);
const transition = (action: string) => HOTLINE_TICKET.transitions.find((t) => t.action === action)!;

describe('decide', () => {
  it('allows an owner to accept a dispatched ticket', () => {
    expect(decide(HOTLINE_TICKET, 'dispatched', ['owner'], 'accept', {})).toMatchObject({ kind: 'allowed', from: 'dispatched', to: 'processing' });
  });

  it('refuses an action that does not exist in this state, listing what may be done', () => {
    expect(decide(HOTLINE_TICKET, 'dispatched', ['owner'], 'close', { comment: 'done' })).toEqual({
      kind: 'not-allowed',
      state: 'dispatched',
      allowedActions: ['accept', 'return'],
    });
  });

  it('forbids an action to roles the transition does not allow', () => {
    expect(decide(HOTLINE_TICKET, 'processing', ['owner'], 'extend', { dueAt: '2025-10-20T10:00:00+08:00', comment: 'x' })).toEqual({
      kind: 'forbidden',
      allowed: ['supervisor'],
    });
  });

  it('names the missing input as the request body spells it', () => {
    expect(decide(HOTLINE_TICKET, 'processing', ['supervisor'], 'extend', { comment: '需协调' })).toMatchObject({
      kind: 'missing-input',
      field: 'dueAt',
    });
    expect(decide(HOTLINE_TICKET, 'processing', ['owner'], 'close', { comment: '   ' })).toMatchObject({ kind: 'missing-input', field: 'comment' });
  });

  it('names every input a reply letter lacks: the contact person, the cc list and the signed file', () => {
    expect(decide(PROPOSAL_REPLY, 'handling', ['owner'], 'reply', { comment: '已答复代表', cc: [], attachmentIds: [] })).toMatchObject({
      kind: 'missing-input',
      field: 'contact',
      missing: [
        { field: 'contact', requirement: 'contact' },
        { field: 'cc', requirement: 'cc' },
        { field: 'attachmentIds', requirement: 'attachment' },
      ],
    });
    const letter = { comment: '已答复代表', contact: { name: '谢迪生', phone: '13631094784' }, cc: ['市政协提案委'], attachmentIds: ['a'] };
    expect(decide(PROPOSAL_REPLY, 'handling', ['owner'], 'reply', { ...letter, contact: { name: ' ', phone: '13631094784' } })).toMatchObject({
      missing: [{ field: 'contact', requirement: 'contact' }],
    });
    expect(decide(PROPOSAL_REPLY, 'handling', ['owner'], 'reply', letter)).toMatchObject({ kind: 'allowed', to: 'replied' });
  });

  it('lets a co-unit give its opinion before and after the lead accepts, staying in the state', () => {
    expect(decide(PROPOSAL_REPLY, 'assigned', ['co-owner'], 'co-opinion', { comment: '同意' })).toMatchObject({ kind: 'allowed', to: 'assigned' });
    expect(decide(PROPOSAL_REPLY, 'handling', ['co-owner'], 'co-opinion', { comment: '同意' })).toMatchObject({ kind: 'allowed', to: 'handling' });
    expect(allowedActions(PROPOSAL_REPLY, 'assigned', ['co-owner'])).toEqual(['co-opinion']);
  });

  it('lists allowed actions per role', () => {
    expect(allowedActions(HOTLINE_TICKET, 'processing', ['owner'])).toEqual(['suspend', 'request-extension', 'close']);
    expect(allowedActions(HOTLINE_TICKET, 'processing', ['supervisor'])).toEqual(['extend']);
    expect(allowedActions(HOTLINE_TICKET, 'closed', ['owner'])).toEqual([]);
  });

  it('reopens a ticket when the citizen is unsatisfied (重办), and keeps it closed otherwise', () => {
    expect(decide(HOTLINE_TICKET, 'closed', ['supervisor'], 'rate', { rating: 'unsatisfied' })).toMatchObject({ kind: 'allowed', to: 'processing' });
    expect(decide(HOTLINE_TICKET, 'closed', ['supervisor'], 'rate', { rating: 'basically_satisfied' })).toMatchObject({ kind: 'allowed', to: 'closed' });
    expect(decide(HOTLINE_TICKET, 'closed', ['owner'], 'rate', { rating: 'satisfied' })).toMatchObject({ kind: 'forbidden' });
  });

  it('lets a ticket ask for one extension only', () => {
    expect(limitOf(HOTLINE_TICKET, 'processing', 'request-extension')).toBe(1);
    expect(limitOf(HOTLINE_TICKET, 'processing', 'close')).toBeUndefined();
    expect(decide(HOTLINE_TICKET, 'processing', ['owner'], 'request-extension', { comment: '需协调', dueAt: '2025-10-20T17:30:00+08:00' }, 0)).toMatchObject({
      kind: 'allowed',
      to: 'extension-requested',
    });
    expect(decide(HOTLINE_TICKET, 'processing', ['owner'], 'request-extension', { comment: '再延一次', dueAt: '2025-10-20T17:30:00+08:00' }, 1)).toEqual({
      kind: 'limit-reached',
      limit: 1,
      allowedActions: ['suspend', 'close'],
    });
  });
});

describe('decide: the 12345 time windows and the extension cap, at 2026 dates', () => {
  // Dispatched Friday 18 September 10:00; 2 working days: the make-up Sunday 20th and Monday 21st, to 10:00.
  const dispatched = (now: string): ActionClock => ({ now: bj(now), stateEnteredAt: bj('2026-09-18T10:00:00'), dueAt: null, calendar: cn });

  it('lets a ticket be returned (退单) within 2 working days of its dispatch, the last instant included', () => {
    expect(decide(HOTLINE_TICKET, 'dispatched', ['owner'], 'return', { comment: '非本单位职责' }, 0, dispatched('2026-09-21T10:00:00'))).toMatchObject({
      kind: 'allowed',
      to: 'returned',
    });
    expect(allowedActions(HOTLINE_TICKET, 'dispatched', ['owner'], dispatched('2026-09-21T10:00:00'))).toEqual(['accept', 'return']);
  });

  it('refuses the return a millisecond later, saying since when, before asking for the missing comment', () => {
    const late = dispatched('2026-09-21T10:00:00.001');
    expect(decide(HOTLINE_TICKET, 'dispatched', ['owner'], 'return', {}, 0, late)).toEqual({
      kind: 'outside-window',
      transition: transition('return'),
      window: { rule: 'within', within: '2wd', closedAt: bj('2026-09-21T10:00:00') },
      allowedActions: ['accept'],
    });
    expect(allowedActions(HOTLINE_TICKET, 'dispatched', ['owner'], late)).toEqual(['accept']);
    // Without a clock no window is judged (callers acting on a task always give one).
    expect(allowedActions(HOTLINE_TICKET, 'dispatched', ['owner'])).toEqual(['accept', 'return']);
  });

  it('takes an extension request (延期申请) only before the due date, and always while the clock is paused', () => {
    const due = bj('2026-10-09T23:59:59.999');
    const at = (now: string, dueAt: Date | null = due): ActionClock => ({ now: bj(now), stateEnteredAt: bj('2026-09-30T09:00:00'), dueAt, calendar: cn });
    const ask = (clock: ActionClock) =>
      decide(HOTLINE_TICKET, 'processing', ['owner'], 'request-extension', { comment: '需协调', dueAt: '2026-10-16T17:30:00+08:00' }, 0, clock);
    expect(ask(at('2026-10-09T23:59:59.998'))).toMatchObject({ kind: 'allowed' });
    expect(ask(at('2026-10-09T23:59:59.999'))).toEqual({
      kind: 'outside-window',
      transition: transition('request-extension'),
      window: { rule: 'beforeDue', closedAt: due },
      allowedActions: ['suspend', 'close'],
    });
    expect(ask(at('2026-10-12T09:00:00', null))).toMatchObject({ kind: 'allowed' });
  });

  it('caps an approved extension at the end of the 10th working day after the due date in force', () => {
    // Due Wednesday 30 September, end of day: 国庆 off; Oct 8, 9, 10 (make-up), 12–16, 19, 20 are the 10 working days.
    const latest = latestDueAt(transition('approve-extension'), bj('2026-09-30T23:59:59.999'), bj('2026-09-29T10:00:00'), cn);
    expect(latest).toEqual(bj('2026-10-20T23:59:59.999'));
    // Without a due date the cap counts from now (Sep 30, Oct 8, 9, 10, 12–16, 19); the supervisor's own extension has none.
    expect(latestDueAt(transition('approve-extension'), null, bj('2026-09-29T10:00:00'), cn)).toEqual(bj('2026-10-19T23:59:59.999'));
    expect(latestDueAt(transition('extend'), bj('2026-09-30T23:59:59.999'), bj('2026-09-29T10:00:00'), cn)).toBeNull();
  });
});
