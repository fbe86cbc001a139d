import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { fetchTasks } from './tasks';

type Schemas = components['schemas'];

/** A plan of GET /plans, counted over the tasks the user may see. */
export type PlanSummary = Schemas['PlanSummaryDto'];

/** One item of a plan's roll-up: its task, light, and progress 0–1 (a fanned-out item: its counties' share done). */
export type PlanItem = Schemas['PlanItemDto'];

/** GET /plans/:id: the plan with its progress, lights, departments and items. */
export type PlanRollup = Schemas['PlanRollupDto'];

export function usePlans(page: number, limit: number) {
  return useQuery({
    queryKey: ['plans', 'list', { page, limit }],
    queryFn: () => unwrap(api.GET('/api/v1/plans', { params: { query: { page, limit } } })),
    placeholderData: keepPreviousData,
  });
}

export function usePlan(id: string) {
  return useQuery({
    queryKey: ['plans', 'detail', id],
    queryFn: () => unwrap(api.GET('/api/v1/plans/{id}', { params: { path: { id } } })),
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
