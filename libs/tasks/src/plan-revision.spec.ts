import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { PLAN_ITEM } from '@duban/engine';
import { revisedTask, withdrawnTask, type RevisionContext } from './plan-revision.js';
import type { TaskRow } from './task-row.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
/** 08:30–12:00 and 14:00–17:30; 2023: 30 December–1 January off (元旦), 29 December a Friday. */
const cn = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data) });
const bj = (local: string) => new Date(`${local}+08:00`);
const LEAD = '00000000-0000-4000-8000-00000000000a';
const ADMIN = '00000000-0000-4000-8000-0000000000c1';
const OTHER = '00000000-0000-4000-8000-00000000000b';

const task = (rest: Partial<TaskRow> = {}): TaskRow => ({
  id: '00000000-0000-4000-8000-000000000001',
  ref: 'DB-00000042',
  workflow_key: 'plan-item',
  workflow_version: 1,
  title: '关于推进政务数据共享的工作',
  body: null,
  state: 'in-progress',
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
  yellow_from: null,
  ...rest,
});

const now = bj('2023-12-29T10:00:00');
const context = (rest: Partial<RevisionContext> = {}): RevisionContext => ({
  row: task(),
  definition: PLAN_ITEM,
  calendar: cn,
  comment: '计划《某市2023年工作要点》修订',
  actor: { id: ADMIN, role: 'admin' },
  requestId: 'req-1',
  now,
  ...rest,
});

describe('withdrawnTask', () => {
  it('closes the task in the engine’s state withdrawn without the closing facts, cancels its timers, and raises task.withdrawn', () => {
    const { row, update } = withdrawnTask(context());
    expect(row).toMatchObject({ state: 'withdrawn', closed_at: now, version: 5, audit_seq: 5 });
    expect(update.changes).toMatchObject({ state: 'withdrawn', closed_at: now, handling_working_days: null, closed_early: null });
    expect(update.timers).toEqual({ replace: [] });
    expect(update.links[0]).toMatchObject({ seq: 5, action: 'withdraw', fromState: 'in-progress', toState: 'withdrawn', actorId: ADMIN });
    expect(update.events).toEqual([
      {
        event: 'task.withdrawn',
        payload: expect.objectContaining({ action: 'withdraw', actorId: ADMIN, comment: '计划《某市2023年工作要点》修订', version: 5 }),
      },
    ]);
  });
});

describe('revisedTask', () => {
  it('changes nothing when the revision repeats the task', () => {
    const row = task();
    expect(revisedTask(context(), { title: row.title, body: row.body ?? undefined, dueAt: row.due_at, owners: row.owners })).toBeNull();
  });

  it('moves the due date: escalation starts afresh, the yellow boundary moves, the timers are planned from the new date', () => {
    const dueAt = bj('2024-01-12T17:30:00');
    const { row, update } = revisedTask(context({ row: task({ escalation_level: 1 }) }), { dueAt })!;
    expect(row).toMatchObject({ due_at: dueAt, escalation_level: 0, version: 5 });
    expect(update.changes.yellow_from).toBeInstanceOf(Date);
    const timers = 'replace' in update.timers! ? update.timers.replace : [];
    const escalation = timers.find((t) => t.kind === 'escalation' && t.level === 1)!;
    expect(escalation.dueAt.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(update.links[0]!.data).toMatchObject({ dueAt: { from: task().due_at!.toISOString(), to: dueAt.toISOString() } });
    expect(update.events[0]).toMatchObject({ event: 'task.revised', payload: { dueAt: dueAt.toISOString(), changed: ['dueAt'] } });
  });

  it('replaces the owners and the primary lead, and rewords the task, without touching its timers', () => {
    const owners = [
      { departmentId: OTHER, role: 'lead' as const },
      { departmentId: LEAD, role: 'co' as const },
    ];
    const { row, update } = revisedTask(context(), { owners, title: '新的标题', body: '新的内容。' })!;
    expect(row).toMatchObject({ owners, title: '新的标题', body: '新的内容。', primary_department_id: OTHER });
    expect(update.owners).toEqual(owners);
    expect(update.timers).toBeUndefined();
    expect(update.links[0]!.data).toMatchObject({ title: { from: '关于推进政务数据共享的工作', to: '新的标题' }, owners: { to: owners } });
  });
});
