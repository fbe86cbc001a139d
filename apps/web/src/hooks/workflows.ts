import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ApiError, type Problem } from '../api/problem';
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

/** One version of a workflow's history (GET /workflows/:key/versions), newest first. */
export type WorkflowVersionEntry = components['schemas']['WorkflowVersionEntryDto'];

/** An error of a definition at its path (`states[0].sla.limit`), as POST /workflows/validate answers it. */
export interface DefinitionError {
  path: string;
  message: string;
}

/** The latest version of one workflow (GET /workflows/:key). */
export function useWorkflow(key: string) {
  return useQuery({
    queryKey: ['workflows', key],
    queryFn: () => unwrap(api.GET('/api/v1/workflows/{key}', { params: { path: { key } } })),
  });
}

export function useWorkflowHistory(key: string) {
  return useQuery({
    queryKey: ['workflows', key, 'versions'],
    queryFn: () => unwrap(api.GET('/api/v1/workflows/{key}/versions', { params: { path: { key } } })),
  });
}

/**
 * The api's verdict on a definition (POST /workflows/validate): no errors, or each at its path.
 * `text` is the definition as typed, already known to parse; null: nothing to ask.
 */
export function useDefinitionCheck(text: string | null) {
  return useQuery({
    queryKey: ['workflows', 'validate', text],
    enabled: text !== null,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<DefinitionError[]> => {
      const { error, response } = await api.POST('/api/v1/workflows/validate', { body: JSON.parse(text!) as Record<string, unknown> });
      if (response.status === 422) return error?.errors ?? [];
      if (!response.ok) throw new ApiError(response.status, (error ?? null) as Problem | null);
      return [];
    },
  });
}

/** Publishes the definition as the workflow's next version (POST /workflows); the lists and the history follow. */
export function usePublishWorkflow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (definition: Record<string, unknown>) => unwrap(api.POST('/api/v1/workflows', { body: definition })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['workflows'] }),
  });
}
