import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ApiError } from '../api/problem';
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

/** What an import would create (POST /plans/import/preview): items, owners resolved or not, counties, due dates, targets. */
export type PlanPreview = Schemas['PlanPreviewDto'];
export type PreviewItem = Schemas['PreviewItemDto'];

/** The pasted plan: its text and, when the title names none, its year. */
export interface PlanText {
  text: string;
  year?: number;
}

/** A plan file chosen to upload (.xlsx, .docx, .txt) and, when the title names none, its year. */
export interface PlanFileInput {
  file: File;
  year?: number;
}

export type PlanInput = PlanText | PlanFileInput;

/** The largest plan file the api reads (libs/plans MAX_PLAN_FILE_BYTES, stated on the endpoints' 413), 10 MiB. */
export const MAX_PLAN_FILE_BYTES = 10 * 1024 * 1024;

/**
 * A file goes as multipart/form-data (field `file`, with `year` and `workflow` as text fields)
 * through the same client, so the token and a 401 are handled as for every other call.
 */
function formOf(body: Record<string, File | string | number | boolean | undefined>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) if (value !== undefined) form.append(name, value instanceof File ? value : String(value));
  return form;
}

/** A preview's cache key: a file by its name, size and date (a File has no JSON form). */
const inputKey = (input: PlanInput | null) =>
  input && 'file' in input ? { file: [input.file.name, input.file.size, input.file.lastModified], year: input.year } : input;

/** Previews a pasted or uploaded plan (nothing is saved); null while there is nothing to preview. */
export function usePlanPreview(input: PlanInput | null) {
  return useQuery({
    queryKey: ['plans', 'preview', inputKey(input)],
    queryFn: () =>
      unwrap(
        input && 'file' in input
          ? api.POST('/api/v1/plans/import/preview', { body: { file: input.file as unknown as string, year: input.year }, bodySerializer: formOf })
          : api.POST('/api/v1/plans/import/preview', { body: input as PlanText }),
      ),
    enabled: input !== null,
  });
}

/**
 * Saves a plan's unit name as one more alias of the department the admin chose (PATCH
 * /departments/:id, its aliases read afresh so none is lost), then previews again: the next
 * import, and this one, know the name.
 */
export function useSaveAlias() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ departmentId, alias }: { departmentId: string; alias: string }) => {
      const path = { params: { path: { id: departmentId } } };
      const { aliases } = await unwrap(api.GET('/api/v1/departments/{id}', path));
      if (aliases.includes(alias)) return;
      await unwrap(api.PATCH('/api/v1/departments/{id}', { ...path, body: { aliases: [...aliases, alias] } }));
    },
    onSuccess: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: ['departments'] }), queryClient.invalidateQueries({ queryKey: ['plans', 'preview'] })]),
  });
}

/** How a pasted plan differs from the plan of its title and year imported before (新增, 删除, 修改). */
export type PlanDifferences = Schemas['PlanDifferencesDto'];
export type PlanFieldChange = Schemas['PlanFieldChangeDto'];

/** Whether the api found any difference (an unchanged plan imported again creates nothing). */
export const anyDifference = (d: PlanDifferences) => d.added.length + d.removed.length + d.changed.length > 0;

/** The differences a 409 plan-changed answer carries; null for any other error. */
export function changedPlanOf(error: unknown): PlanDifferences | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const problem = error.problem as (Schemas['PlanChangedProblemDto'] & { code?: string }) | null;
  return problem?.code === 'plan-changed' ? problem.differences : null;
}

/**
 * Imports a plan as tasks (POST /plans/import): the plan's id, and 0 tasks when the same plan was
 * imported before unchanged. `revise: true` applies a changed plan's differences (`revised`);
 * without it the api answers 409 plan-changed (changedPlanOf).
 */
export function useImportPlan() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PlanInput & { year: number; workflow: string; revise?: boolean }) =>
      unwrap(
        'file' in body
          ? api.POST('/api/v1/plans/import', {
              body: { ...body, file: body.file as unknown as string, revise: body.revise ? 'true' : undefined },
              bodySerializer: formOf,
            })
          : api.POST('/api/v1/plans/import', { body }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['plans', 'list'] }),
  });
}
