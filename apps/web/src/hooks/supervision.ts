import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { operations } from '../api/schema';
import type { Page, Task } from '../api/types';
import type { TaskQuery } from './tasks';

/** One supervised department's open tasks (GET /tasks/summary): by light, overdue, by card. */
export interface DepartmentSummary {
  departmentId: string;
  departmentName: string;
  open: number;
  green: number;
  yellow: number;
  red: number;
  overdue: number;
  yellowCards: number;
  redCards: number;
}

export interface TaskSummary {
  items: DepartmentSummary[];
  totals: Omit<DepartmentSummary, 'departmentId' | 'departmentName'>;
}

/**
 * GET /tasks/summary: the supervised departments' open-task counts. Kept under the `tasks` key,
 * so that an action taken anywhere (which re-reads every task query) refreshes the counts too.
 * The path is typed here until the generated schema has it.
 */
export function useTaskSummary() {
  return useQuery({
    queryKey: ['tasks', 'summary'],
    queryFn: () => unwrap<TaskSummary>(api.GET('/api/v1/tasks/summary' as '/api/v1/tasks', {} as never)),
  });
}

/** GET /tasks filters of the supervisor's queues, besides the list's (awaiting=me, escalated=true). */
export interface QueueQuery extends TaskQuery {
  /** 待我审批: extension requests and submissions this user may decide. */
  awaiting?: 'me';
  /** Tasks escalated at least once (收到的督办). */
  escalated?: boolean;
}

type ListQuery = operations['TasksController_list']['parameters']['query'];

/**
 * One page of a supervisor's queue. Unlike the /tasks list, an api that does not know a filter
 * is an error here: a queue without its filter would list every task under the queue's name.
 */
export function useQueue(query: QueueQuery) {
  return useQuery({
    queryKey: ['tasks', 'queue', query],
    queryFn: () => unwrap<Page<Task>>(api.GET('/api/v1/tasks', { params: { query: query as ListQuery } })),
    placeholderData: keepPreviousData,
  });
}
