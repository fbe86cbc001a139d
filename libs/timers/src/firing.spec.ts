import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { HOTLINE_TICKET, PLAN_ITEM } from '@duban/engine';
import type { ClaimedTimer, TaskRow } from '@duban/tasks';
import type { RunningWorkflow } from '@duban/workflows';
import { firingUpdates, SUPERSEDED, supersededReminders } from './firing.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
const cn = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data) });
const bj = (local: string) => new Date(`${local}+08:00`);
const LEAD = '00000000-0000-4000-8000-00000000000a';
const TASK = '00000000-0000-4000-8000-000000000001';

const task = (rest: Partial<TaskRow> = {}): TaskRow =>
  ({
    id: TASK,
    ref: 'DB-00000001',
    workflow_key: 'hotline-ticket',
    workflow_version: 1,
    title: '路灯不亮',
    state: 'processing',
    state_entered_at: bj('2025-09-30T09:00:00'),
    created_at: bj('2025-09-30T09:00:00'),
    due_at: bj('2025-10-10T09:00:00'),
    card: null,
    escalation_level: 0,
    version: 2,
    primary_department_id: LEAD,
    audit_seq: 2,
    audit_hash: 'a'.repeat(64),
    ...rest,
  }) as TaskRow;

const timer = (id: string, kind: ClaimedTimer['kind'], dueAt: string, extra: Partial<ClaimedTimer> = {}): ClaimedTimer => ({
  id,
  task_id: TASK,
  key: `${kind}:${dueAt}`,
  kind,
  due_at: bj(dueAt),
  notify: ['owner'],
  level: null,
  card: null,
  ...extra,
});

const hotline: RunningWorkflow = { key: 'hotline-ticket', version: 1, definition: HOTLINE_TICKET, calendar: cn };
const now = bj('2025-10-14T09:00:00');

describe('firingUpdates: what timers fired together do to their task', () => {
  it('applies a worker’s backlog in due order: the card goes yellow then red, each dated, the level grows, one link each', () => {
    const claimed = [
      timer('t1', 'overdue', '2025-10-10T09:00:00'),
      timer('t2', 'escalation', '2025-10-10T09:00:01', { level: 1, card: 'yellow' }),
      timer('t3', 'escalation', '2025-10-14T09:00:00', { level: 2, card: 'red', notify: ['supervisor'] }),
    ];
    const recipients = new Map([
      ['timer:t1', ['u1']],
      ['timer:t2', ['u1', 'u2']],
      ['timer:t3', ['u2']],
    ]);
    const [update] = firingUpdates(claimed, new Map([[TASK, task()]]), () => hotline, recipients, now);
    expect(update!.changes).toEqual({ card: 'red', escalation_level: 2 });
    expect(update!.versionBump).toBe(2);
    expect(update!.facts).toEqual([
      { kind: 'yellow_card', departmentId: LEAD, at: now },
      { kind: 'red_card', departmentId: LEAD, at: now },
    ]);
    expect(update!.links.map((l) => [l.seq, l.action, l.data.recipients, l.data.card])).toEqual([
      [3, 'timer.overdue', 1, undefined],
      [4, 'timer.escalation', 2, 'yellow'],
      [5, 'timer.escalation', 1, 'red'],
    ]);
    expect(update!.links[0]!.prevHash).toBe('a'.repeat(64));
    expect(update!.links[1]!.prevHash).toBe(update!.links[0]!.hash);
    expect(update!.events.map((e) => [e.event, e.payload.recipients])).toEqual([
      ['task.overdue', ['u1']],
      ['task.escalated', ['u1', 'u2']],
      ['task.escalated', ['u2']],
    ]);
  });

  it('never lowers a card: a yellow after red changes nothing but the trail', () => {
    const [update] = firingUpdates(
      [timer('t1', 'sla_breach', '2025-10-10T09:00:00', { card: 'yellow' })],
      new Map([[TASK, task({ card: 'red', escalation_level: 2 })]]),
      () => hotline,
      new Map(),
      now,
    );
    expect(update!.changes).toEqual({});
    expect(update!.versionBump).toBe(0);
    expect(update!.facts).toEqual([]);
    expect(update!.links).toHaveLength(1);
  });

  it('plans the next monthly progress request after the one that fired, on a working morning', () => {
    const item = task({ workflow_key: 'plan-item', state: 'in-progress', due_at: bj('2025-12-31T17:30:00') });
    const planItem: RunningWorkflow = { key: 'plan-item', version: 1, definition: PLAN_ITEM, calendar: cn };
    const [update] = firingUpdates(
      [timer('t1', 'progress', '2025-09-25T08:30:00')],
      new Map([[TASK, item]]),
      () => planItem,
      new Map(),
      bj('2025-09-25T08:30:01'),
    );
    // 25 October 2025 is a Saturday (not a make-up day): the request goes out Monday 27 October 08:30.
    expect(update!.timers).toEqual({ add: [{ key: 'progress:2025-10-25', kind: 'progress', dueAt: bj('2025-10-27T08:30:00'), notify: ['owner'] }] });
  });
});

describe('supersededReminders: a reminder the due date has overtaken sends nothing', () => {
  it('a reminder that fires after its task fell due sends nothing: its link says skipped, no event goes out; the overdue notice follows as usual', () => {
    // Due 10 October 09:00; workers came back on 14 October: the reminder (9 October) and the overdue notice fire together.
    const claimed = [timer('t0', 'reminder', '2025-10-09T09:00:00'), timer('t1', 'overdue', '2025-10-10T09:00:00')];
    const tasks = new Map([[TASK, task()]]);
    expect([...supersededReminders(claimed, tasks, now)]).toEqual(['t0']);
    const [update] = firingUpdates(claimed, tasks, () => hotline, new Map([['timer:t1', ['u1']]]), now);
    expect(update!.links.map((l) => [l.action, l.data.recipients, l.data.skipped])).toEqual([
      ['timer.reminder', 0, SUPERSEDED],
      ['timer.overdue', 1, undefined],
    ]);
    expect(update!.events.map((e) => e.event)).toEqual(['task.overdue']);
  });

  it('a late reminder alone is superseded too once the due date has passed (its overdue notice fired in an earlier batch)', () => {
    const claimed = [timer('t0', 'reminder', '2025-10-09T09:00:00')];
    expect([...supersededReminders(claimed, new Map([[TASK, task()]]), bj('2025-10-10T09:00:00'))]).toEqual(['t0']);
  });

  it('a reminder that fires before the due date, however late, still reminds', () => {
    const claimed = [timer('t0', 'reminder', '2025-10-09T09:00:00')];
    const beforeDue = bj('2025-10-10T08:59:59.999');
    expect(supersededReminders(claimed, new Map([[TASK, task()]]), beforeDue).size).toBe(0);
    const [update] = firingUpdates(claimed, new Map([[TASK, task()]]), () => hotline, new Map([['timer:t0', ['u1']]]), beforeDue);
    expect(update!.links[0]!.data).not.toHaveProperty('skipped');
    expect(update!.events.map((e) => e.event)).toEqual(['task.reminder']);
  });

  it('a reminder claimed together with its task’s overdue notice is superseded by it, whatever due date the task row reads', () => {
    const claimed = [timer('t0', 'reminder', '2025-10-09T09:00:00'), timer('t1', 'overdue', '2025-10-10T09:00:00')];
    const extended = new Map([[TASK, task({ due_at: bj('2025-10-20T09:00:00') })]]);
    expect([...supersededReminders(claimed, extended, now)]).toEqual(['t0']);
  });

  it('a task without a due date is never past it: its reminders remind', () => {
    const claimed = [timer('t0', 'reminder', '2025-10-09T09:00:00')];
    expect(supersededReminders(claimed, new Map([[TASK, task({ due_at: null })]]), now).size).toBe(0);
  });
});
