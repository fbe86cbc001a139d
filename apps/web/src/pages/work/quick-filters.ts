import type { Task } from '../../api/types';

/** The quick filters of 我的待办 and which open tasks each keeps, read from the api's own fields. */
export const QUICK_FILTERS = {
  all: { label: '全部', keeps: () => true },
  // Waiting to be accepted: 签收 is what the user may do now.
  accept: { label: '待签收', keeps: (t: Task) => t.allowedActions.includes('accept') },
  doing: { label: '办理中', keeps: (t: Task) => !t.allowedActions.includes('accept') },
  // Due within 3 working days and not yet overdue (the api counts the working days on the task's calendar).
  soon: { label: '即将到期', keeps: (t: Task) => !t.overdue && t.timeLeft != null && !t.timeLeft.overdue && t.timeLeft.workingDays <= 3 },
  overdue: { label: '已逾期', keeps: (t: Task) => t.overdue },
} as const satisfies Record<string, { label: string; keeps: (t: Task) => boolean }>;

export type QuickFilter = keyof typeof QUICK_FILTERS;

const RANK = { red: 0, yellow: 1, green: 2 } as const;

/**
 * The department's open tasks, most urgent first (UI.md `/work`): red, then yellow, then by due
 * date (none last). The api sorts so too (`sort=urgency`); this keeps the order of one that does not.
 */
export function byUrgency(tasks: readonly Task[]): Task[] {
  const due = (t: Task) => (t.dueAt ? Date.parse(t.dueAt) : Number.POSITIVE_INFINITY);
  return tasks.filter((t) => t.closedAt === null).sort((a, b) => RANK[a.light] - RANK[b.light] || due(a) - due(b));
}
