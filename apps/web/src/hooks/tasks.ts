import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ApiError } from '../api/problem';
import { uploadAttachment } from '../api/upload';
import type { components, operations } from '../api/schema';
import type { Attachment, Task, TaskList } from '../api/types';

/** The query of GET /tasks as the document gives it. */
export type ListQuery = NonNullable<operations['TasksController_list']['parameters']['query']>;

/**
 * GET /tasks filters as the console sends them (the list's; the supervisor's queues add theirs,
 * QueueQuery).
 */
export type TaskQuery = Omit<ListQuery, 'awaiting' | 'escalated'>;

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
export async function fetchTasks(query: TaskQuery): Promise<TaskList> {
  const get = (q: TaskQuery) => unwrap(api.GET('/api/v1/tasks', { params: { query: q } }));
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
  return useQuery({ queryKey: ['tasks', 'detail', id], queryFn: () => unwrap(api.GET('/api/v1/tasks/{id}', { params: { path: { id } } })) });
}

/** The audit trail in seq order, creation first. */
export function useTaskAudit(id: string) {
  return useQuery({
    queryKey: ['tasks', 'detail', id, 'audit'],
    queryFn: () => unwrap(api.GET('/api/v1/tasks/{id}/audit', { params: { path: { id } } })),
  });
}

export function useAuditVerification(id: string) {
  return useQuery({
    queryKey: ['tasks', 'detail', id, 'verify'],
    queryFn: () => unwrap(api.GET('/api/v1/tasks/{id}/audit/verify', { params: { path: { id } } })),
  });
}

export function useTaskAttachments(id: string) {
  return useQuery({
    queryKey: ['tasks', 'detail', id, 'attachments'],
    queryFn: () => unwrap(api.GET('/api/v1/tasks/{id}/attachments', { params: { path: { id } } })),
  });
}

/** The inputs of POST /tasks/:id/actions besides the action's name (and the version, which the hook adds). */
export type ActionInput = Omit<components['schemas']['TaskActionDto'], 'action' | 'expectedVersion'>;

/**
 * POST /tasks/:id/actions with the version on screen (a stale one answers 409). Afterwards every
 * task query (this view, its timeline, the lists, the counts) and the inbox are read again.
 */
export function useTaskAction(task: Pick<Task, 'id' | 'version'>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, input }: { action: string; input: ActionInput }) =>
      unwrap(
        api.POST('/api/v1/tasks/{id}/actions', {
          params: { path: { id: task.id } },
          body: { action, ...input, expectedVersion: task.version },
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

/**
 * Uploads one file to the task (POST /tasks/:id/attachments, with progress); answers the stored
 * file, whose id an action may carry (attachmentIds). The task's files and timeline are read again.
 */
export function useUploadAttachment(taskId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, onProgress, signal }: { file: File; onProgress: (percent: number) => void; signal?: AbortSignal }) =>
      uploadAttachment(taskId, file, onProgress, signal),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tasks', 'detail', taskId] }),
  });
}

/** How one task of a bulk act went: done, or the api's error (a 409 urged-recently, a stale version…). */
export type BulkOutcome = { task: Pick<Task, 'id' | 'ref' | 'title'>; /** null when done */ error: unknown };

/**
 * The same act on several tasks (催办 from a queue): one POST /tasks/:id/actions per task, one after
 * the other, each with the version given for it (none: the act applies to the task as it is now);
 * every outcome is answered, then the lists and inbox re-read.
 */
export function useBulkAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({
      action,
      input,
      tasks,
    }: {
      action: string;
      input: ActionInput;
      tasks: (Pick<Task, 'id' | 'ref' | 'title'> & { version?: number })[];
    }) => {
      const outcomes: BulkOutcome[] = [];
      for (const task of tasks) {
        try {
          await unwrap(
            api.POST('/api/v1/tasks/{id}/actions', { params: { path: { id: task.id } }, body: { action, ...input, expectedVersion: task.version } }),
          );
          outcomes.push({ task, error: null });
        } catch (error) {
          outcomes.push({ task, error });
        }
      }
      return outcomes;
    },
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['tasks'] }), queryClient.invalidateQueries({ queryKey: ['notifications'] })]),
  });
}

/** A share of a task for one unit (分解): POST /tasks with the parent, as the view's canSplit allows. */
export type Share = { departmentId: string; departmentName: string; title: string; dueAt?: string };

/**
 * Splits a task among units: one POST /tasks {parentId, leadDepartmentIds:[unit]} per share, in the
 * parent's workflow, one after the other; every outcome is answered, then the task's children re-read.
 */
export function useSplitTask(parent: Pick<Task, 'id' | 'workflow'>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (shares: Share[]) => {
      const outcomes: { share: Share; child: Task | null; /** null when created */ error: unknown }[] = [];
      for (const share of shares) {
        try {
          const child = await unwrap(
            api.POST('/api/v1/tasks', {
              body: { workflow: parent.workflow, title: share.title, leadDepartmentIds: [share.departmentId], parentId: parent.id, dueAt: share.dueAt },
            }),
          );
          outcomes.push({ share, child: child as Task, error: null });
        } catch (error) {
          outcomes.push({ share, child: null, error });
        }
      }
      return outcomes;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['tasks'] }),
  });
}
