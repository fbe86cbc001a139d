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

/** The built-in acts of every workflow (API.md "Tasks"), as an api without `actions` leaves them to the client. */
const BUILT_IN_ACTS: Record<string, { label: string; requires: string[] }> = {
  urge: { label: '催办', requires: ['comment'] },
  card: { label: '亮牌', requires: ['card', 'comment'] },
  'withdraw-card': { label: '撤销亮牌', requires: ['comment'] },
};

/** Words for what the system itself records in a task's audit trail (its creation, an import, a file). */
const SYSTEM_ACTS: Record<string, string> = { create: '创建', imported: '导入', attach: '上传附件' };

/**
 * Labels of a task's pinned workflow version (GET /workflows/:key/versions/:version), for an api
 * whose task view and audit do not carry them yet (`stateLabel`, `actions`, `actionLabel`).
 */
export function useWorkflowLabels(key: string | undefined, version: number | undefined) {
  const definition = useQuery({
    queryKey: ['workflows', key, version],
    queryFn: () => unwrap(api.GET('/api/v1/workflows/{key}/versions/{version}', { params: { path: { key: key!, version: version! } } })),
    enabled: key !== undefined && version !== undefined,
    staleTime: Infinity,
  });
  const d = definition.data;
  return {
    ready: d !== undefined,
    state: (state: string | null | undefined) => (state ? (d?.states.find((s) => s.key === state)?.label ?? state) : null),
    action: (action: string, from?: string) => {
      if (BUILT_IN_ACTS[action]) return BUILT_IN_ACTS[action];
      if (SYSTEM_ACTS[action]) return { label: SYSTEM_ACTS[action], requires: [] };
      const named = d?.transitions.filter((t) => t.action === action) ?? [];
      const transition = named.find((t) => from === undefined || t.from.includes(from)) ?? named[0];
      return { label: transition?.label ?? action, requires: transition?.requires ?? [] };
    },
  };
}
