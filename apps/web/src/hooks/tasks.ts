import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ApiError } from '../api/problem';
import type { operations } from '../api/schema';
import type { Attachment, AuditEntry, AuditVerification, Page, Task } from '../api/types';

/** GET /tasks filters (API.md "Tasks" and the list filters newer apis add), as the console sends them. */
export interface TaskQuery {
  state?: string;
  departmentId?: string;
  /** The primary lead department only (主要牵头单位), as the 督办台 and the reports count a task. */
  primaryDepartmentId?: string;
  workflow?: string;
  overdue?: boolean;
  card?: 'yellow' | 'red' | 'none';
  light?: 'green' | 'yellow' | 'red';
  /** Local dates (YYYY-MM-DD) of the due-date range, both included. */
  dueFrom?: string;
  dueTo?: string;
  sort?: 'dueAt' | '-dueAt' | 'urgency';
  /** Part of the title, or a ref (DB-00000123). */
  q?: string;
  parentId?: string;
  open?: boolean;
  page?: number;
  limit?: number;
}

type ListQuery = operations['TasksController_list']['parameters']['query'];

/** The filters an api answered "property X should not exist" for (one older than the console). */
function unknownFilters(error: unknown): (keyof TaskQuery)[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  const errors = error.problem?.errors ?? [];
  const unknown = errors.map((e) => /^property (\w+) should not exist$/.exec(e.message)?.[1]);
  return unknown.every((name) => name !== undefined) ? (unknown as (keyof TaskQuery)[]) : [];
}

/**
 * GET /tasks with `query`. An api that does not know a newer filter yet answers 400 naming it:
 * the list is then read again without those filters rather than not shown at all.
 */
export async function fetchTasks(query: TaskQuery): Promise<Page<Task>> {
  const get = (q: TaskQuery) => unwrap<Page<Task>>(api.GET('/api/v1/tasks', { params: { query: q as ListQuery } }));
  try {
    return await get(query);
  } catch (err) {
    const unknown = unknownFilters(err);
    if (unknown.length === 0) throw err;
    const rest = { ...query };
    for (const name of unknown) delete rest[name];
    return get(rest);
  }
}

/** A page of tasks the user may see; the previous page stays on screen while the next loads. */
export function useTasks(query: TaskQuery, enabled = true) {
  return useQuery({ queryKey: ['tasks', 'list', query], queryFn: () => fetchTasks(query), placeholderData: keepPreviousData, enabled });
}

export function useTask(id: string) {
  return useQuery({ queryKey: ['tasks', 'detail', id], queryFn: () => unwrap<Task>(api.GET('/api/v1/tasks/{id}', { params: { path: { id } } })) });
}

/** The audit trail in seq order, creation first. */
export function useTaskAudit(id: string) {
  return useQuery({
    queryKey: ['tasks', 'detail', id, 'audit'],
    queryFn: () => unwrap<AuditEntry[]>(api.GET('/api/v1/tasks/{id}/audit', { params: { path: { id } } })),
  });
}

export function useAuditVerification(id: string) {
  return useQuery({
    queryKey: ['tasks', 'detail', id, 'verify'],
    queryFn: () => unwrap<AuditVerification>(api.GET('/api/v1/tasks/{id}/audit/verify', { params: { path: { id } } })),
  });
}

export function useTaskAttachments(id: string) {
  return useQuery({
    queryKey: ['tasks', 'detail', id, 'attachments'],
    queryFn: () => unwrap<{ items: Attachment[] }>(api.GET('/api/v1/tasks/{id}/attachments', { params: { path: { id } } })),
  });
}

/** The inputs of POST /tasks/:id/actions besides the action's name. */
export interface ActionInput {
  comment?: string;
  progress?: number;
  dueAt?: string;
  rating?: 'satisfied' | 'basically_satisfied' | 'unsatisfied';
  assigneeId?: string;
  card?: 'yellow' | 'red';
  /** The contact person a reply letter names. */
  contact?: { name: string; phone: string };
  /** Units a reply letter is copied to, by name. */
  cc?: string[];
  /** Files of this task (uploaded first) the action carries. */
  attachmentIds?: string[];
}

/**
 * POST /tasks/:id/actions with the version on screen (a stale one answers 409). Afterwards every
 * task query (this view, its timeline, the lists, the counts) and the inbox are read again.
 */
export function useTaskAction(task: Pick<Task, 'id' | 'version'>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, input }: { action: string; input: ActionInput }) =>
      unwrap<Task>(
        api.POST('/api/v1/tasks/{id}/actions', {
          params: { path: { id: task.id } },
          body: { action, ...input, expectedVersion: task.version } as never,
        }),
      ),
    onSuccess: async (updated) => {
      queryClient.setQueryData(['tasks', 'detail', task.id], updated);
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['tasks'] }), queryClient.invalidateQueries({ queryKey: ['notifications'] })]);
    },
  });
}

/** Saves an attachment's bytes under its name (GET /attachments/:id needs the bearer header, so no plain link). */
export async function downloadAttachment(attachment: Pick<Attachment, 'id' | 'name'>): Promise<void> {
  const { response } = await api.GET('/api/v1/attachments/{id}', { params: { path: { id: attachment.id } }, parseAs: 'stream' });
  if (!response.ok) throw new ApiError(response.status, null);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = attachment.name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** POST /tasks/:id/attachments with one file; answers the stored file (its id goes into an action's attachmentIds). */
export function useUploadAttachment(taskId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.append('file', file);
      const body = await unwrap<{ items: Attachment[] }>(api.POST('/api/v1/tasks/{id}/attachments', { params: { path: { id: taskId } }, body: form as never }));
      return body.items[0]!;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tasks', 'detail', taskId, 'attachments'] }),
  });
}
