import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { InvalidInputError } from '@duban/http';
import { applyAct, type DecidedAct } from './acts.js';
import type { TaskRow } from './task-row.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
/** 08:30–12:00 and 14:00–17:30; 2023: 30 December–1 January off (元旦), 29 December a Friday. */
const cn = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data) });
const bj = (local: string) => new Date(`${local}+08:00`);
const LEAD = '00000000-0000-4000-8000-00000000000a';
const SUPERVISOR = '00000000-0000-4000-8000-0000000000b1';

const task = (rest: Partial<TaskRow> = {}): TaskRow => ({
  id: '00000000-0000-4000-8000-000000000001',
  ref: 'DB-00000042',
  workflow_key: 'plan-item',
  workflow_version: 1,
  title: '关于推进政务数据共享的工作',
  body: null,
  state: 'processing',
  state_entered_at: bj('2023-12-01T09:00:00'),
  parent_id: null,
  external_ref: null,
  priority: 'normal',
  assignee_id: null,
  due_at: bj('2024-01-03T17:30:00'),
  paused_since: null,
  card: null,
  escalation_level: 0,
  progress: null,
  data: {},
  version: 4,
  created_by: null,
  created_at: bj('2023-12-01T09:00:00'),
  closed_at: null,
  paused_working_ms: 0,
  primary_department_id: LEAD,
  accepted_at: null,
  rated_at: null,
  audit_seq: 4,
  audit_hash: 'd'.repeat(64),
  owners: [{ departmentId: LEAD, role: 'lead' }],
  requested_due_at: null,
  co_opinions: [],
  supervising_department_ids: [],
  ...rest,
});

const now = bj('2023-12-29T10:00:00');
const act = (a: Partial<DecidedAct> & Pick<DecidedAct, 'act'>) =>
  applyAct({ row: task(), comment: '请抓紧办理', calendar: cn, actor: { id: SUPERVISOR, role: 'supervisor' }, requestId: 'req-1', now, ...a });

describe('applyAct', () => {
  it('urges: an audit link with the comment, one version more, a dated urge fact, and the time left in working days', () => {
    const { row, update } = act({ act: 'urge' });
    expect(row).toMatchObject({ state: 'processing', version: 5, audit_seq: 5, card: null });
    expect(update.changes).toEqual({});
    expect(update.timers).toBeUndefined();
    expect(update.facts).toEqual([{ kind: 'urge', departmentId: LEAD, at: now }]);
    expect(update.links).toHaveLength(1);
    expect(update.links[0]).toMatchObject({
      action: 'urge',
      fromState: 'processing',
      toState: 'processing',
      actorId: SUPERVISOR,
      data: { comment: '请抓紧办理' },
    });
    expect(update.links[0]).toMatchObject({ seq: 5, prevHash: 'd'.repeat(64) });
    // Friday 10:00 to Wednesday 17:30 across 元旦 (30 December–1 January): Friday's 5.5 h, Tuesday, Wednesday: 2 whole working days.
    expect(update.events).toEqual([
      {
        event: 'task.urged',
        payload: expect.objectContaining({
          action: 'urge',
          actorId: SUPERVISOR,
          comment: '请抓紧办理',
          dueAt: bj('2024-01-03T17:30:00').toISOString(),
          timeLeft: { overdue: false, workingDays: 2, words: '剩余 2 个工作日' },
          version: 5,
        }),
      },
    ]);
  });

  it('says how overdue a task is when urged after its due date', () => {
    const { update } = act({ act: 'urge', row: task({ due_at: bj('2023-12-25T17:30:00') }) });
    expect(update.events[0]!.payload.timeLeft).toEqual({ overdue: true, workingDays: 3, words: '已逾期 3 个工作日' });
  });

  it('gives a card by hand: the task carries it, a dated card fact counts it, the event names the card before', () => {
    const { row, update } = act({ act: 'card', card: 'red', row: task({ card: 'yellow' }), comment: '多次催办未果' });
    expect(row.card).toBe('red');
    expect(update.changes).toEqual({ card: 'red' });
    expect(update.facts).toEqual([{ kind: 'red_card', departmentId: LEAD, at: now }]);
    expect(update.links[0]!.data).toEqual({ comment: '多次催办未果', card: 'red' });
    expect(update.events[0]).toMatchObject({ event: 'task.carded', payload: { card: 'red', previous: 'yellow', comment: '多次催办未果' } });
  });

  it('withdraws the card shown: its latest fact leaves the reports and the card falls to what remains', () => {
    const cardsInForce = [
      { id: '11', card: 'yellow' as const, at: bj('2023-12-20T10:00:00') },
      { id: '12', card: 'red' as const, at: bj('2023-12-28T10:00:00') },
    ];
    const { row, update } = act({ act: 'withdraw-card', row: task({ card: 'red' }), cardsInForce, actor: { id: null, role: 'admin' }, comment: '误亮' });
    expect(row.card).toBe('yellow');
    expect(update.withdrawnFacts).toEqual(['12']);
    expect(update.facts).toEqual([]);
    expect(update.links[0]!.data).toEqual({ comment: '误亮', card: 'red', remaining: 'yellow' });
    expect(update.events[0]).toMatchObject({ event: 'task.card_withdrawn', payload: { card: 'red', remaining: 'yellow' } });

    const last = act({ act: 'withdraw-card', row: task({ card: 'yellow' }), cardsInForce: cardsInForce.slice(0, 1), comment: '误亮' });
    expect(last.row.card).toBeNull();
    expect(last.update.withdrawnFacts).toEqual(['11']);
  });

  it('withdraws a card that has no fact (given before facts were kept), keeping a lower one', () => {
    const cardsInForce = [{ id: '7', card: 'yellow' as const, at: bj('2023-12-20T10:00:00') }];
    const { row, update } = act({ act: 'withdraw-card', row: task({ card: 'red' }), cardsInForce, comment: '误亮' });
    expect(row.card).toBe('yellow');
    expect(update.withdrawnFacts).toEqual([]);
  });

  it('refuses inputs of transitions', () => {
    expect(() => act({ act: 'urge', input: { dueAt: '2024-01-10T17:30:00+08:00' } })).toThrow(InvalidInputError);
    expect(() => act({ act: 'card', card: 'yellow', input: { rating: 'satisfied' } })).toThrow(/does not take rating/);
  });

  it('urges a task without a due date, with no time left to tell', () => {
    expect(act({ act: 'urge', row: task({ due_at: null }) }).update.events[0]!.payload).toMatchObject({ dueAt: null, timeLeft: null });
  });
});
