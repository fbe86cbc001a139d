import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Page, Task } from '../api/types';
import { fetchTasks } from './tasks';

type Light = Task['light'];

/** A plan of GET /plans (libs/plans PlanSummary), counted over the tasks the user may see. */
export interface PlanSummary {
  id: string;
  title: string;
  year: number;
  workflow: string;
  /** Items of the plan (top-level tasks); taskCount counts the counties' shares too. */
  itemCount: number;
  taskCount: number;
  closedCount: number;
  createdAt: string;
}

/** One item of a plan's roll-up: its task, light, and progress 0–1 (a fanned-out item: its counties' share done). */
export interface PlanItem {
  taskId: string;
  ref: string;
  number: string | null;
  title: string;
  state: string;
  light: Light;
  dueAt: string | null;
  progress: number;
  children: { done: number; total: number };
}

/** GET /plans/:id (libs/plans PlanRollup). */
export interface PlanRollup extends PlanSummary {
  /** Overall progress 0–1, each item counting equally. */
  progress: number;
  byLight: Record<Light, number>;
  children: { done: number; total: number };
  byDepartment: { departmentId: string; name: string; tasks: number; closed: number; byLight: Record<Light, number> }[];
  items: PlanItem[];
}

export function usePlans(page: number, limit: number) {
  return useQuery({
    queryKey: ['plans', 'list', { page, limit }],
    queryFn: () => unwrap<Page<PlanSummary>>(api.GET('/api/v1/plans', { params: { query: { page, limit } as never } })),
    placeholderData: keepPreviousData,
  });
}

export function usePlan(id: string) {
  return useQuery({
    queryKey: ['plans', 'detail', id],
    queryFn: () => unwrap<PlanRollup>(api.GET('/api/v1/plans/{id}', { params: { path: { id } } })),
  });
}

/** The child tasks of a fanned-out item (one per county), read when the item is opened. */
export function useChildTasks(parentId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['tasks', 'list', { parentId, limit: 200 }],
    queryFn: () => fetchTasks({ parentId, limit: 200 }),
    enabled,
  });
}
