import { type BusinessCalendar, CalendarError, momentInWords, timeLeft } from '@duban/calendar';
import type { NotificationKind } from '@duban/db';
import type { Reader } from './readers.js';

export interface MessageFacts {
  kind: NotificationKind;
  taskTitle: string;
  taskRef: string;
  /** The due date the message speaks of, if any. */
  dueAt?: Date | null;
  level?: number | null;
  card?: 'yellow' | 'red' | null;
  stateLabel?: string;
  /** The co-units whose opinion (会办意见) is still missing, by name (co_opinion_late). */
  missingUnits?: readonly string[];
  /** The year a calendar has no schedule for (calendar_year_missing). */
  year?: number;
  /** The open tasks falling due in that year (calendar_year_missing). */
  openTasks?: number;
  timezone: string;
  /** When the notice is made: a date before it is spoken of in the past (已于…到期). The current time when absent. */
  now?: Date;
  /** The task's calendar: with it the working time left, or overdue, is said too (剩余 2 个工作日, 已逾期 3 个工作日). */
  calendar?: BusinessCalendar;
  /** Who reads it, for escalations, SLA breaches and actions: the unit is told to act, an overseer asked to press it or decide. */
  reader?: Reader;
  /** An `action` notice: the act it reports. */
  act?: ActFacts;
  /** Who acted (an urge, a card by hand): their display name. */
  actorName?: string | null;
  /** What they wrote with it. */
  comment?: string | null;
  /** The working time left to the due date when they acted: `剩余 2 个工作日`, `已逾期 3 个工作日`. */
  timeLeft?: string | null;
  /** Whether the due date had passed when they acted. */
  overdue?: boolean;
}

/** What an `action` notice says of the act (a transition by a person) and of what its reader may do now. */
export interface ActFacts {
  /** The actor's display name and department name. */
  actor: string;
  department: string | null;
  actionLabel: string;
  /** The label of the state the task is in now. */
  stateLabel: string;
  comment: string | null;
  /** The due date an extension request asks for, while one is pending. */
  requestedDueAt: Date | null;
  /** Labels of the actions the reader may take now. */
  actions: string[];
  /** Whether the task reached a final state: the reader is told the outcome, nothing is asked. */
  final: boolean;
  /** Whether the task waits on the reader's decision (an overseer asked 请审核, not 请督促). */
  decides: boolean;
}

const CARD_NAMES = { yellow: '黄牌', red: '红牌' } as const;
const LEVEL_NAMES = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** A due date as a notice says it: with its year, whether it has passed at `now`, and the working time left or overdue when the calendar is known. */
interface DueWords {
  /** `2023年12月31日 17:30`. */
  when: string;
  past: boolean;
  /** `剩余 2 个工作日` / `已逾期 3 个工作日`; empty without a calendar or outside its range. */
  left: string;
  /** `将于2023年12月31日 17:30到期（剩余 2 个工作日）` or `已于2023年12月31日 17:30到期（已逾期 3 个工作日）`. */
  clause: string;
}

function dueWords(at: Date, f: MessageFacts): DueWords {
  const now = f.now ?? new Date();
  const when = momentInWords(at, f.timezone);
  const past = at.getTime() <= now.getTime();
  let left = '';
  try {
    if (f.calendar) left = timeLeft(at, now, f.calendar).words;
  } catch (err) {
    // A date outside the calendar's range is still named; only the count is left out.
    if (!(err instanceof CalendarError)) throw err;
  }
  const clause = past ? `已于${when}到期（${left || '已逾期'}）` : `将于${when}到期${left ? `（${left}）` : ''}`;
  return { when, past, left, clause };
}

/** Title and body of an inbox notice, in Chinese first: a department lead reads it at a glance. */
export function message(f: MessageFacts): { title: string; body: string } {
  const due = f.dueAt ? dueWords(f.dueAt, f) : null;
  const task = `“${f.taskTitle}”（${f.taskRef}）`;
  const level = f.level ? `${LEVEL_NAMES[f.level] ?? f.level}级` : '';
  const card = f.card ? `，亮${CARD_NAMES[f.card]}` : '';
  const overseer = f.reader === 'overseer';
  switch (f.kind) {
    case 'reminder':
      return {
        title: `【到期提醒】${f.taskTitle}${due?.past ? '已于' : '将于'}${due?.when ?? ''}到期`,
        body: `任务${task}${due?.clause ?? ''}，${due?.past ? '请尽快办结并说明原因。' : '请抓紧办理。'}`,
      };
    case 'overdue':
      return {
        title: `【逾期】${f.taskTitle}${due?.past === false ? '将于' : '已于'}${due?.when ?? ''}到期`,
        body: `任务${task}${due?.clause ?? ''}，请尽快办结并说明原因。`,
      };
    case 'escalated':
      // The supervisors press the unit; the unit's own lead is told to act.
      return {
        title: `【督办·${level}】${f.taskTitle}已逾期`,
        body:
          `任务${task}逾期未办结（期限${due?.when ?? ''}${due?.left ? `，${due.left}` : ''}），升级为${level}督办${card}。` +
          (f.reader === 'unit' ? '请立即办理并说明逾期原因。' : '请督促承办单位办理。'),
      };
    case 'sla_breach':
      return {
        title: `【超时】${f.taskTitle}${f.stateLabel ?? ''}超时`,
        body: `任务${task}在“${f.stateLabel ?? ''}”环节超过规定时限${card}，${overseer ? '请督促承办单位尽快处理。' : '请尽快处理。'}`,
      };
    case 'progress_requested':
      return { title: `【进度填报】请填报${f.taskTitle}的进展`, body: `请填报任务${task}的本期工作进展${due ? `，任务${due.clause}` : ''}。` };
    case 'callback':
      return {
        title: `【回访】${f.taskTitle}待回访`,
        body: `任务${task}已办结，回访时限${due?.past ? `已于${due.when}届满` : `为${due?.when ?? ''}`}，请尽快回访群众并录入评价。`,
      };
    case 'co_opinion_due': {
      const by = f.dueAt ? momentInWords(f.dueAt, f.timezone) : '';
      return {
        title: `【会办提醒】请于${by}前提出${f.taskTitle}的会办意见`,
        body: `贵单位是任务${task}的会办单位，会办意见应于${by}前送主办单位，请尽快提出会办意见。`,
      };
    }
    case 'co_opinion_late': {
      const by = f.dueAt ? momentInWords(f.dueAt, f.timezone) : '';
      const units = (f.missingUnits ?? []).join('、');
      return {
        title: `【会办逾期】${f.taskTitle}尚缺${units}的会办意见`,
        body: `任务${task}的会办意见已于${by}到期，尚未收到${units}的会办意见，请主办单位督促会办单位尽快提出。`,
      };
    }
    case 'assigned':
      return { title: `【交办】${f.taskTitle}`, body: `收到新任务${task}${due ? `，办理期限为${due.when}${due.past ? '（已逾期）' : ''}` : ''}，请及时签收。` };
    case 'action':
      return actionMessage(f, task, due);
    case 'bulletin':
      // A bulletin is not a task: taskTitle carries the bulletin's title.
      return { title: `【通报】${f.taskTitle}`, body: `${f.taskTitle}已发布，请查阅本单位排名及按时办结率、满意率等指标。` };
    case 'urged':
    case 'carded':
      return actNotice(f);
    case 'withdrawn':
    case 'revised':
      return revisionNotice(f, task, due);
    case 'calendar_year_missing':
      // A calendar is not a task: taskTitle carries the calendar's name, taskRef its key.
      return {
        title: `【日历】${f.taskTitle}尚无${f.year}年节假日安排`,
        body:
          `工作日历“${f.taskTitle}”（${f.taskRef}）还没有${f.year}年的放假和调休安排：跨入${f.year}年的期限只扣除周末，节假日按工作日计算，可能不准确。` +
          (f.openTasks ? `已有 ${f.openTasks} 项未办结任务的期限在${f.year}年。` : '') +
          `国务院公布安排后，请导入${f.year}年的节假日文件（.ics 或 holiday-cn JSON）。`,
      };
  }
}

/**
 * An `action` notice (issue 16 point 3): who did what, where the task stands, the comment, the
 * date an extension request asks for, the due date in the right tense, and what the reader is
 * asked to do: the unit to act, an overseer to decide (请审核) or to press the unit (请督促).
 */
function actionMessage(f: MessageFacts, task: string, due: DueWords | null): { title: string; body: string } {
  const act = f.act!;
  const who = act.department ? `${act.actor}（${act.department}）` : act.actor;
  const parts = [`${who}对任务${task}办理了“${act.actionLabel}”，当前环节：${act.stateLabel}。`];
  if (act.comment) parts.push(`意见：${act.comment}。`);
  if (act.requestedDueAt) parts.push(`申请将办理期限延至${momentInWords(act.requestedDueAt, f.timezone)}。`);
  if (due && !act.final) parts.push(`任务${due.clause}。`);
  const may = act.actions.length > 0 ? `（可办理：${act.actions.join('、')}）` : '';
  if (act.final && act.actions.length === 0) parts.push('任务已结束，无需再办理。');
  else if (f.reader === 'overseer') parts.push(act.decides ? `请审核${may}。` : `请督促承办单位办理${may}。`);
  else parts.push(`请及时办理${may}。`);
  return { title: `【${act.actionLabel}】${f.taskTitle}`, body: parts.join('') };
}

/**
 * A revised plan's notices (issue 19.5): 撤销, the task is over; 计划修订, what changed (the
 * comment says it) and the due date now in force.
 */
function revisionNotice(f: MessageFacts, task: string, due: DueWords | null): { title: string; body: string } {
  const who = f.actorName ?? '督办人员';
  if (f.kind === 'withdrawn') return { title: `【撤销】${f.taskTitle}`, body: `${who}撤销了任务${task}：${f.comment ?? ''}。任务已结束，无需再办理。` };
  return {
    title: `【计划修订】${f.taskTitle}`,
    body: `${who}修订了任务${task}：${f.comment ?? ''}。${due ? `任务${due.clause}，` : ''}请按修订后的要求办理。`,
  };
}

/**
 * 催办 and 亮牌 by hand: the title says the task, its due date with the year and the time left or
 * overdue in working time when they acted; the body who acted, the due date and what they wrote.
 */
function actNotice(f: MessageFacts): { title: string; body: string } {
  const task = `${f.taskTitle}（${f.taskRef}）`;
  const due = f.dueAt ? momentInWords(f.dueAt, f.timezone) : null;
  const when = due ? `${f.overdue ? '已于' : '将于'}${due}到期${f.timeLeft ? `，${f.timeLeft}` : ''}` : '';
  const limit = due ? `，办理期限${due}${f.timeLeft ? `（${f.timeLeft}）` : ''}` : '';
  const who = f.actorName ?? '督办人员';
  if (f.kind === 'urged') {
    return { title: `【催办】${task}${when}`, body: `${who}催办任务“${f.taskTitle}”（${f.taskRef}）${limit}。催办意见：${f.comment ?? '请抓紧办理'}` };
  }
  const card = CARD_NAMES[f.card ?? 'yellow'];
  return {
    title: `【亮牌】${task}被亮${card}${when ? `，${when}` : ''}`,
    body: `${who}对任务“${f.taskTitle}”（${f.taskRef}）亮${card}${limit}。亮牌理由：${f.comment ?? ''}`,
  };
}
