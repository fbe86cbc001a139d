import type { Notice } from '../../api/types';

/** Notices of one task (or one notice without a task), the newest first. */
export interface NoticeGroup {
  key: string;
  newest: Notice;
  earlier: Notice[];
}

/**
 * Groups a page of notices (newest first) by task, so that a burst about one task reads as one
 * entry with its earlier notices under it; groups keep the order of their newest notice.
 */
export function groupByTask(notices: readonly Notice[]): NoticeGroup[] {
  const groups = new Map<string, NoticeGroup>();
  for (const notice of notices) {
    const key = notice.taskId ? `task:${notice.taskId}` : `notice:${notice.id}`;
    const group = groups.get(key);
    if (group) group.earlier.push(notice);
    else groups.set(key, { key, newest: notice, earlier: [] });
  }
  return [...groups.values()];
}
