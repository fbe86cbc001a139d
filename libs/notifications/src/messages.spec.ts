import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { BusinessCalendar, type ChineseDaysData, fromChineseDays } from '@duban/calendar';
import { type ActFacts, message, type MessageFacts } from './messages.js';

const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
const cn = new BusinessCalendar({ timezone: 'Asia/Shanghai', days: fromChineseDays(data) });
const bj = (local: string) => new Date(`${local}+08:00`);
const base = { taskTitle: '关于推进数据共享', taskRef: 'DB-00000012', timezone: 'Asia/Shanghai', calendar: cn } as const;
const say = (f: Omit<MessageFacts, keyof typeof base>) => message({ ...base, ...f });

describe('message: dates with their year, in the right tense', () => {
  it('speaks of a due date ahead in the future, with the working time left', () => {
    const text = say({ kind: 'reminder', dueAt: bj('2025-12-31T17:30:00'), now: bj('2025-12-29T17:30:00') });
    expect(text.title).toBe('【到期提醒】关于推进数据共享将于2025年12月31日 17:30到期');
    expect(text.body).toBe('任务“关于推进数据共享”（DB-00000012）将于2025年12月31日 17:30到期（剩余 2 个工作日），请抓紧办理。');
  });

  it('speaks of a due date already past in the past, as a reminder made late does', () => {
    const text = say({ kind: 'reminder', dueAt: bj('2025-12-31T17:30:00'), now: bj('2026-01-06T17:30:00') });
    expect(text.title).toBe('【到期提醒】关于推进数据共享已于2025年12月31日 17:30到期');
    // 1 January is a holiday: Friday 2, Monday 5, Tuesday 6 January.
    expect(text.body).toBe('任务“关于推进数据共享”（DB-00000012）已于2025年12月31日 17:30到期（已逾期 3 个工作日），请尽快办结并说明原因。');
  });

  it('says a passed call-back limit has passed, and a new task already overdue is overdue', () => {
    const passed = { dueAt: bj('2025-10-10T16:00:00'), now: bj('2025-10-13T09:00:00') };
    expect(say({ kind: 'callback', ...passed }).body).toContain('回访时限已于2025年10月10日 16:00届满');
    expect(say({ kind: 'assigned', ...passed }).body).toContain('办理期限为2025年10月10日 16:00（已逾期）');
    expect(say({ kind: 'overdue', ...passed }).title).toBe('【逾期】关于推进数据共享已于2025年10月10日 16:00到期');
  });
});

describe('message: worded for its reader', () => {
  const escalation = { kind: 'escalated', dueAt: bj('2025-10-10T17:30:00'), now: bj('2025-10-14T17:30:00'), level: 1, card: 'red' } as const;

  // Saturday 11 October 2025 is a make-up working day.
  it('asks the supervisors to press the unit, and tells the unit to act and say why it is late', () => {
    expect(say({ ...escalation, reader: 'overseer' }).body).toBe(
      '任务“关于推进数据共享”（DB-00000012）逾期未办结（期限2025年10月10日 17:30，已逾期 3 个工作日），升级为一级督办，亮红牌。请督促承办单位办理。',
    );
    expect(say({ ...escalation, reader: 'unit' }).body).toMatch(/升级为一级督办，亮红牌。请立即办理并说明逾期原因。$/);
  });

  const act: ActFacts = {
    actor: '张三',
    department: '数据资源科',
    actionLabel: '申请延期',
    stateLabel: '延期审核中',
    comment: '需协调施工单位',
    requestedDueAt: bj('2026-01-30T17:30:00'),
    actions: ['同意延期', '不同意延期'],
    decides: true,
    final: false,
  };

  it('asks a supervisor to decide on an extension request, naming the actor, the comment and the date asked for', () => {
    const text = say({ kind: 'action', reader: 'overseer', act, dueAt: bj('2025-12-31T17:30:00'), now: bj('2025-12-29T17:30:00') });
    expect(text.title).toBe('【申请延期】关于推进数据共享');
    expect(text.body).toBe(
      '张三（数据资源科）对任务“关于推进数据共享”（DB-00000012）办理了“申请延期”，当前环节：延期审核中。意见：需协调施工单位。' +
        '申请将办理期限延至2026年1月30日 17:30。任务将于2025年12月31日 17:30到期（剩余 2 个工作日）。请审核（可办理：同意延期、不同意延期）。',
    );
  });

  it('tells the unit to act after a decision, asks a watching supervisor to press it, and tells the owners of the end', () => {
    const decided = { ...act, actionLabel: '同意延期', stateLabel: '推进中', comment: null, requestedDueAt: null };
    const now = bj('2026-02-03T09:00:00');
    const dueAt = bj('2026-01-30T17:30:00');
    expect(say({ kind: 'action', reader: 'unit', act: { ...decided, actions: ['进度填报', '申请办结'] }, dueAt, now }).body).toBe(
      '张三（数据资源科）对任务“关于推进数据共享”（DB-00000012）办理了“同意延期”，当前环节：推进中。任务已于2026年1月30日 17:30到期（已逾期 1 个工作日）。' +
        '请及时办理（可办理：进度填报、申请办结）。',
    );
    expect(say({ kind: 'action', reader: 'overseer', act: { ...decided, actions: ['延期'], decides: false }, dueAt, now }).body).toMatch(
      /请督促承办单位办理（可办理：延期）。$/,
    );
    expect(say({ kind: 'action', reader: 'unit', act: { ...decided, stateLabel: '已完成', actions: [], final: true }, dueAt, now }).body).toMatch(
      /当前环节：已完成。任务已结束，无需再办理。$/,
    );
  });
});
