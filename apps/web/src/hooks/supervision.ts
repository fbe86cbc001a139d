import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import type { ListQuery, TaskQuery } from './tasks';

/** One supervised department's open tasks (GET /tasks/summary): by light, overdue, by card. */
export type DepartmentSummary = components['schemas']['DepartmentSummaryDto'];

export type TaskSummary = components['schemas']['TaskSummaryDto'];

/**
 * GET /tasks/summary: the supervised departments' open-task counts. Kept under the `tasks` key,
 * so that an action taken anywhere (which re-reads every task query) refreshes the counts too.
 */
export function useTaskSummary() {
  return useQuery({
    queryKey: ['tasks', 'summary'],
    queryFn: () => unwrap(api.GET('/api/v1/tasks/summary')),
  });
}

/**
 * GET /tasks filters of the supervisor's queues, besides the list's: awaiting=me (待我审批: extension
 * requests and submissions this user may decide), escalated=true (tasks escalated at least once, 收到的督办).
 */
export type QueueQuery = TaskQuery & Pick<ListQuery, 'awaiting' | 'escalated'>;

/**
 * One page of a supervisor's queue. Unlike the /tasks list, an api that does not know a filter
 * is an error here: a queue without its filter would list every task under the queue's name.
 */
export function useQueue(query: QueueQuery) {
  return useQuery({
    queryKey: ['tasks', 'queue', query],
    queryFn: () => unwrap(api.GET('/api/v1/tasks', { params: { query: query } })),
    placeholderData: keepPreviousData,
  });
}
