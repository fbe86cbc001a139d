import { momentInWords } from '@duban/calendar';
import type { NotificationKind } from '@duban/db';

export interface MessageFacts {
  kind: NotificationKind;
  taskTitle: string;
  taskRef: string;
  /** The due date the message speaks of, if any. */
  dueAt?: Date | null;
  level?: number | null;
  card?: 'yellow' | 'red' | null;
  stateLabel?: string;
  /** The year a calendar has no schedule for (calendar_year_missing). */
  year?: number;
  timezone: string;
  /** Who acted (an urge, a card by hand): their display name. */
  actorName?: string | null;
  /** What they wrote with it. */
  comment?: string | null;
  /** The working time left to the due date when they acted: `剩余 2 个工作日`, `已逾期 3 个工作日`. */
  timeLeft?: string | null;
  /** Whether the due date had passed when they acted. */
  overdue?: boolean;
}

const CARD_NAMES = { yellow: '黄牌', red: '红牌' } as const;
const LEVEL_NAMES = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** "10月11日 10:00" in the calendar's zone: how a notice in a Chinese office names a moment. */
export function formatMoment(at: Date, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', { timeZone: timezone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

/** Title and body of an inbox notice, in Chinese first: a department lead reads it at a glance. */
export function message(f: MessageFacts): { title: string; body: string } {
  const due = f.dueAt ? formatMoment(f.dueAt, f.timezone) : '';
  const task = `“${f.taskTitle}”（${f.taskRef}）`;
  const level = f.level ? `${LEVEL_NAMES[f.level] ?? f.level}级` : '';
  const card = f.card ? `，亮${CARD_NAMES[f.card]}` : '';
  switch (f.kind) {
    case 'reminder':
      return { title: `【催办】${f.taskTitle}将于${due}到期`, body: `任务${task}将于${due}到期，请抓紧办理。` };
    case 'overdue':
      return { title: `【逾期】${f.taskTitle}已于${due}到期`, body: `任务${task}已超过办理期限（${due}），请尽快办结并说明原因。` };
    case 'escalated':
      return { title: `【督办·${level}】${f.taskTitle}已逾期`, body: `任务${task}逾期未办结（期限${due}），升级为${level}督办${card}。请督促承办单位办理。` };
    case 'sla_breach':
      return { title: `【超时】${f.taskTitle}${f.stateLabel ?? ''}超时`, body: `任务${task}在“${f.stateLabel ?? ''}”环节超过规定时限${card}，请尽快处理。` };
    case 'progress_requested':
      return { title: `【进度填报】请填报${f.taskTitle}的进展`, body: `请填报任务${task}的本期工作进展${due ? `，期限${due}` : ''}。` };
    case 'callback':
      return { title: `【回访】${f.taskTitle}待回访`, body: `任务${task}已办结，回访时限为${due}，请尽快回访群众并录入评价。` };
    case 'assigned':
      return { title: `【交办】${f.taskTitle}`, body: `收到新任务${task}${due ? `，办理期限${due}` : ''}，请及时签收。` };
    case 'action':
      return { title: `【动态】${f.taskTitle}`, body: `任务${task}有新的办理动态。` };
    case 'bulletin':
      // A bulletin is not a task: taskTitle carries the bulletin's title.
      return { title: `【通报】${f.taskTitle}`, body: `${f.taskTitle}已发布，请查阅本单位排名及按时办结率、满意率等指标。` };
    case 'urged':
    case 'carded':
      return actNotice(f);
    case 'calendar_year_missing':
      // A calendar is not a task: taskTitle carries the calendar's name, taskRef its key.
      return {
        title: `【日历】${f.taskTitle}尚无${f.year}年节假日安排`,
        body:
          `工作日历“${f.taskTitle}”（${f.taskRef}）还没有${f.year}年的放假和调休安排：跨入${f.year}年的期限只扣除周末，节假日按工作日计算，可能不准确。` +
          `国务院公布安排后，请导入${f.year}年的节假日文件（.ics 或 holiday-cn JSON）。`,
      };
  }
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
