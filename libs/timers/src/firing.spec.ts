import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { HOTLINE_TICKET, PLAN_ITEM, PROPOSAL_REPLY } from '@duban/engine';
import { CO_OWNER_OWING_OPINION } from '@duban/notifications';
import type { ClaimedTimer, TaskRow } from '@duban/tasks';
import type { RunningWorkflow } from '@duban/workflows';
import {
  firingOf,
  firingUpdates,
  SUPERSEDED,
  SUPERSEDED_BY_CO_OPINION_LATE,
  supersededByLevel,
  supersededFirings,
  timerNotices,
  unitsToName,
} from './firing.js';

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
const planItem: RunningWorkflow = { key: 'plan-item', version: 1, definition: PLAN_ITEM, calendar: cn };
const planItemTask = () => task({ workflow_key: 'plan-item', state: 'in-progress', due_at: bj('2025-12-31T17:30:00') });
const now = bj('2025-10-14T09:00:00');

describe('firingUpdates: what timers fired together do to their task', () => {
  it('fires a backlog’s due steps once: the overdue notice, then only the highest level reached; the lower level stays silent but its card counts', () => {
    // Due Friday 10 October 09:00; the workers came back on Tuesday 14 October 09:00, 2wd later: both levels are due.
    const claimed = [
      timer('t1', 'overdue', '2025-10-10T09:00:00'),
      timer('t2', 'escalation', '2025-10-10T09:00:01', { level: 1, card: 'yellow' }),
      timer('t3', 'escalation', '2025-10-14T09:00:00', { level: 2, card: 'red', notify: ['supervisor'] }),
    ];
    const tasks = new Map([[TASK, task()]]);
    expect([...supersededFirings(claimed, tasks, now)]).toEqual([['t2', 'superseded by level 2']]);
    const recipients = new Map([
      ['timer:t1', ['u1']],
      ['timer:t3', ['u2']],
    ]);
    const [update] = firingUpdates(claimed, tasks, () => hotline, recipients, now);
    expect(update!.changes).toEqual({ card: 'red', escalation_level: 2 });
    // The yellow card was reached as surely as with live workers: the KPIs count it either way.
    expect(update!.versionBump).toBe(2);
    expect(update!.facts).toEqual([
      { kind: 'yellow_card', departmentId: LEAD, at: now },
      { kind: 'red_card', departmentId: LEAD, at: now },
    ]);
    expect(update!.links.map((l) => [l.seq, l.action, l.data.recipients, l.data.card, l.data.skipped])).toEqual([
      [3, 'timer.overdue', 1, undefined, undefined],
      [4, 'timer.escalation', 0, 'yellow', supersededByLevel(2)],
      [5, 'timer.escalation', 1, 'red', undefined],
    ]);
    expect(update!.links[0]!.prevHash).toBe('a'.repeat(64));
    expect(update!.links[1]!.prevHash).toBe(update!.links[0]!.hash);
    expect(update!.events.map((e) => [e.event, e.payload.level, e.payload.recipients])).toEqual([
      ['task.overdue', null, ['u1']],
      ['task.escalated', 2, ['u2']],
    ]);
  });

  it('a backlog whose level 1 is red and level 2 carries no card (the built-in hotline) ends red, told at level 2 only', () => {
    const claimed = [
      timer('t1', 'overdue', '2025-10-10T09:00:00'),
      timer('t2', 'escalation', '2025-10-10T09:00:01', { level: 1, card: 'red' }),
      timer('t3', 'escalation', '2025-10-14T09:00:00', { level: 2, notify: ['supervisor'] }),
    ];
    const [update] = firingUpdates(claimed, new Map([[TASK, task()]]), () => hotline, new Map([['timer:t3', ['u2']]]), now);
    expect(update!.changes).toEqual({ card: 'red', escalation_level: 2 });
    expect(update!.facts).toEqual([{ kind: 'red_card', departmentId: LEAD, at: now }]);
    expect(update!.events.map((e) => [e.event, e.payload.level])).toEqual([
      ['task.overdue', null],
      ['task.escalated', 2],
    ]);
  });

  it('fires each level on its own when it comes due alone: a live worker still sends yellow, then red', () => {
    const tasks = new Map([[TASK, task()]]);
    const level1 = [timer('t2', 'escalation', '2025-10-10T09:00:00', { level: 1, card: 'yellow' })];
    const [first] = firingUpdates(level1, tasks, () => hotline, new Map([['timer:t2', ['u1']]]), bj('2025-10-10T09:00:00.050'));
    expect(first!.changes).toEqual({ card: 'yellow', escalation_level: 1 });
    const yellow = new Map([[TASK, task({ card: 'yellow', escalation_level: 1 })]]);
    const level2 = [timer('t3', 'escalation', '2025-10-14T09:00:00', { level: 2, card: 'red' })];
    expect(supersededFirings(level2, yellow, now).size).toBe(0);
    const [second] = firingUpdates(level2, yellow, () => hotline, new Map([['timer:t3', ['u2']]]), now);
    expect(second!.changes).toEqual({ card: 'red', escalation_level: 2 });
    expect(second!.facts).toEqual([{ kind: 'red_card', departmentId: LEAD, at: now }]);
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
});

describe('firingUpdates: progress requests repeat from the one that fired, or from today', () => {
  it('plans the next monthly progress request after the one that fired, on a working morning', () => {
    const [update] = firingUpdates(
      [timer('t1', 'progress', '2025-09-25T08:30:00')],
      new Map([[TASK, planItemTask()]]),
      () => planItem,
      new Map(),
      bj('2025-09-25T08:30:01'),
    );
    // 25 October 2025 is a Saturday (not a make-up day): the request goes out Monday 27 October 08:30.
    expect(update!.timers).toEqual({ add: [{ key: 'progress:2025-10-25', kind: 'progress', dueAt: bj('2025-10-27T08:30:00'), notify: ['owner'] }] });
  });

  it('plans the next progress request from today when one was missed by two months: it fires once, not once per missed month', () => {
    // The September request fires on 20 November (workers down): October's is past, November's is the next.
    const [update] = firingUpdates(
      [timer('t1', 'progress', '2025-09-25T08:30:00')],
      new Map([[TASK, planItemTask()]]),
      () => planItem,
      new Map(),
      bj('2025-11-20T10:00:00'),
    );
    expect(update!.timers).toEqual({ add: [{ key: 'progress:2025-11-25', kind: 'progress', dueAt: bj('2025-11-25T08:30:00'), notify: ['owner'] }] });
    expect(update!.events.map((e) => e.event)).toEqual(['task.progress_requested']);
  });
});

describe('supersededFirings: a reminder the due date has overtaken sends nothing', () => {
  it('a reminder that fires after its task fell due sends nothing: its link says skipped, no event goes out; the overdue notice follows as usual', () => {
    // Due 10 October 09:00; workers came back on 14 October: the reminder (9 October) and the overdue notice fire together.
    const claimed = [timer('t0', 'reminder', '2025-10-09T09:00:00'), timer('t1', 'overdue', '2025-10-10T09:00:00')];
    const tasks = new Map([[TASK, task()]]);
    expect([...supersededFirings(claimed, tasks, now)]).toEqual([['t0', SUPERSEDED]]);
    const [update] = firingUpdates(claimed, tasks, () => hotline, new Map([['timer:t1', ['u1']]]), now);
    expect(update!.links.map((l) => [l.action, l.data.recipients, l.data.skipped])).toEqual([
      ['timer.reminder', 0, SUPERSEDED],
      ['timer.overdue', 1, undefined],
    ]);
    expect(update!.events.map((e) => e.event)).toEqual(['task.overdue']);
  });

  it('a late reminder alone is superseded too once the due date has passed (its overdue notice fired in an earlier batch)', () => {
    const claimed = [timer('t0', 'reminder', '2025-10-09T09:00:00')];
    expect([...supersededFirings(claimed, new Map([[TASK, task()]]), bj('2025-10-10T09:00:00')).keys()]).toEqual(['t0']);
  });

  it('a reminder that fires before the due date, however late, still reminds', () => {
    const claimed = [timer('t0', 'reminder', '2025-10-09T09:00:00')];
    const beforeDue = bj('2025-10-10T08:59:59.999');
    expect(supersededFirings(claimed, new Map([[TASK, task()]]), beforeDue).size).toBe(0);
    const [update] = firingUpdates(claimed, new Map([[TASK, task()]]), () => hotline, new Map([['timer:t0', ['u1']]]), beforeDue);
    expect(update!.links[0]!.data).not.toHaveProperty('skipped');
    expect(update!.events.map((e) => e.event)).toEqual(['task.reminder']);
  });

  it('a reminder claimed together with its task’s overdue notice is superseded by it, whatever due date the task row reads', () => {
    const claimed = [timer('t0', 'reminder', '2025-10-09T09:00:00'), timer('t1', 'overdue', '2025-10-10T09:00:00')];
    const extended = new Map([[TASK, task({ due_at: bj('2025-10-20T09:00:00') })]]);
    expect([...supersededFirings(claimed, extended, now).keys()]).toEqual(['t0']);
  });

  it('a task without a due date is never past it: its reminders remind', () => {
    const claimed = [timer('t0', 'reminder', '2025-10-09T09:00:00')];
    expect(supersededFirings(claimed, new Map([[TASK, task({ due_at: null })]]), now).size).toBe(0);
  });
});

describe('co-opinion notices (会办意见) of a proposal', () => {
  const CO1 = '00000000-0000-4000-8000-0000000000c1';
  const CO2 = '00000000-0000-4000-8000-0000000000c2';
  const proposalFlow: RunningWorkflow = { key: 'proposal-reply', version: 2, definition: PROPOSAL_REPLY, calendar: cn };
  // Assigned Tuesday 2 September 2025 10:00: the opinions are due Thursday 2 October 10:00; 政务服务科 has answered.
  const proposal = task({
    workflow_key: 'proposal-reply',
    title: '关于破解信息互通共享的建议',
    state: 'handling',
    created_at: bj('2025-09-02T10:00:00'),
    owners: [
      { departmentId: LEAD, role: 'lead' },
      { departmentId: CO1, role: 'co' },
      { departmentId: CO2, role: 'co' },
    ],
    co_opinions: [{ departmentId: CO1, departmentName: '政务服务科', at: '2025-09-10T01:00:00.000Z', comment: '同意', attachmentIds: [], actorId: null }],
  });
  const names = new Map([[CO2, '市农业农村局']]);

  it('reminds only the co-units still owing their opinion, of the co-opinion due date with its year', () => {
    const notice = timerNotices(
      timer('r', 'co_opinion_reminder', '2025-09-25T10:00:00', { notify: ['co-owner'] }),
      proposal,
      proposalFlow,
      bj('2025-09-25T10:00:00'),
      names,
    )[0]!;
    expect(notice).toMatchObject({ roles: [CO_OWNER_OWING_OPINION], kind: 'co_opinion_due', data: { missingDepartmentIds: [CO2] } });
    expect(notice.title).toBe('【会办提醒】请于2025年10月2日 10:00前提出关于破解信息互通共享的建议的会办意见');
  });

  it('tells the lead unit which co-units are missing when the month is out', () => {
    const notice = timerNotices(timer('l', 'co_opinion_late', '2025-10-02T10:00:00'), proposal, proposalFlow, bj('2025-10-02T10:00:00'), names)[0]!;
    expect(notice).toMatchObject({ roles: ['owner'], kind: 'co_opinion_late', data: { dueAt: bj('2025-10-02T10:00:00').toISOString() } });
    expect(notice.title).toBe('【会办逾期】关于破解信息互通共享的建议尚缺市农业农村局的会办意见');
    expect(notice.body).toBe(
      '任务“关于破解信息互通共享的建议”（DB-00000001）的会办意见已于2025年10月2日 10:00到期，尚未收到市农业农村局的会办意见，请主办单位督促会办单位尽快提出。',
    );
    expect(unitsToName([timer('l', 'co_opinion_late', '2025-10-02T10:00:00')], new Map([[TASK, proposal]]))).toEqual([CO2]);
  });

  it('keeps a co-opinion reminder silent when the late notice fires with it', () => {
    const claimed = [timer('r', 'co_opinion_reminder', '2025-09-25T10:00:00'), timer('l', 'co_opinion_late', '2025-10-02T10:00:00')];
    expect(supersededFirings(claimed, new Map([[TASK, proposal]]), bj('2025-10-20T10:00:00'))).toEqual(new Map([['r', SUPERSEDED_BY_CO_OPINION_LATE]]));
  });
});

describe('timerNotices: each reader told in their own words', () => {
  it('splits an escalation to the owners and the supervisors into two notices with sources of their own', () => {
    const level1 = timer('t2', 'escalation', '2025-10-10T09:00:00', { level: 1, card: 'red', notify: ['owner', 'supervisor'] });
    const notices = timerNotices(level1, task(), hotline, now);
    expect(notices.map((n) => [n.roles, n.source])).toEqual([
      [['owner'], 'timer:t2:unit'],
      [['supervisor'], 'timer:t2:overseer'],
    ]);
    expect(notices[0]!.body).toMatch(/升级为一级督办，亮红牌。请立即办理并说明逾期原因。$/);
    expect(notices[1]!.body).toMatch(/请督促承办单位办理。$/);
    // Friday 10 October 09:00 to Tuesday 14 October 09:00, the make-up Saturday included.
    expect(notices[1]!.body).toContain('期限2025年10月10日 09:00，已逾期 3 个工作日');
    expect(notices.map((n) => firingOf(n.source))).toEqual(['timer:t2', 'timer:t2']);
  });

  it('sends a reminder as one notice, dated with its year', () => {
    const [reminder, ...rest] = timerNotices(timer('t1', 'reminder', '2025-10-09T09:00:00'), task(), hotline, bj('2025-10-09T09:00:00'));
    expect(rest).toEqual([]);
    expect(reminder).toMatchObject({ roles: ['owner'], source: 'timer:t1', title: '【到期提醒】路灯不亮将于2025年10月10日 09:00到期' });
  });
});
