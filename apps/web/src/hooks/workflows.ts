import { useQueries, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';

/** The latest version of each workflow (GET /workflows): the 类型 filter's choices. */
export function useWorkflows() {
  return useQuery({
    queryKey: ['workflows'],
    queryFn: () => unwrap(api.GET('/api/v1/workflows', { params: { query: { limit: 1000 } } })),
    staleTime: 10 * 60_000,
  });
}

/** A workflow's definition: its states with their labels, its transitions (GET /workflows/:key, the latest version). */
export type WorkflowDefinition = components['schemas']['WorkflowDetailDto'];

/** The definitions of the given workflows, to offer their states by label (状态 filter). */
export function useWorkflowDefinitions(keys: readonly string[]) {
  return useQueries({
    queries: keys.map((key) => ({
      queryKey: ['workflows', key],
      queryFn: () => unwrap(api.GET('/api/v1/workflows/{key}', { params: { path: { key } } })),
      staleTime: 10 * 60_000,
    })),
  });
}
