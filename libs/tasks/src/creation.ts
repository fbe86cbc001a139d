import { nextLink } from '@duban/audit';
import type { TaskPriority } from '@duban/db';
import { initialDueAt, planTimers } from '@duban/engine';
import { InvalidInputError } from '@duban/http';
import type { RunningWorkflow } from '@duban/workflows';
import { DueAtInPastError } from './errors.js';
import { NO_FACTS_YET } from './task-facts.js';
import type { Actor } from './transition.js';
import type { TaskInsert } from './task-writes.js';

export interface NewTask {
  /** Given when the caller must name the task before it exists (a plan item's county shares); a new uuid otherwise. */
  id?: string;
  workflow: string;
  title: string;
  body?: string;
  leadDepartmentIds: string[];
  coDepartmentIds?: string[];
  dueAt?: Date;
  priority?: TaskPriority;
  parentId?: string;
  externalRef?: string;
  data?: Record<string, unknown>;
  /** Set by plan import: the plan the task is an item of. */
  planId?: string;
  /**
   * A child's supervising departments: its parent's lead departments, set by whoever creates the
   * child (TasksService.create, the plan import), never by a client. None without a parent.
   */
  supervisingDepartmentIds?: string[];
}

/** A new task's identity, allocated before its rows are built (TaskStore.allocate). */
export interface NewTaskIdentity {
  id: string;
  ref: string;
}

export function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/**
 * A task created now may not be due before now (POST /tasks): the reminders and the overdue
 * notice of a past due date would all fire at once. History keeps its dates through the import,
 * and the plan import and demo seeder, which call `insertWithin`, are not asked. Pure.
 * @throws DueAtInPastError (400, dueAt)
 */
export function checkNewDueAt(dueAt: Date | undefined, now: Date): void {
  if (dueAt !== undefined && dueAt.getTime() < now.getTime()) throw new DueAtInPastError(dueAt, now);
}

/**
 * A new task on `workflow` in its initial state, as TaskStore inserts it: the row (due by the
 * definition's deadline on its calendar unless the input gives one), its owners, the audit link
 * `create`, the timers its state implies and the task.created event. Pure.
 * @throws InvalidInputError (400) without a lead department or with a unit both lead and co.
 */
export function createdTask(
  workflow: RunningWorkflow,
  input: NewTask,
  identity: NewTaskIdentity,
  actor: Actor,
  requestId: string | null,
  now: Date,
): TaskInsert {
  const leads = unique(input.leadDepartmentIds);
  const cos = unique(input.coDepartmentIds ?? []);
  if (leads.length === 0) throw new InvalidInputError('leadDepartmentIds', 'name at least one lead department');
  const both = cos.find((d) => leads.includes(d));
  if (both) throw new InvalidInputError('coDepartmentIds', `department ${both} is already a lead`);
  const { definition, calendar } = workflow;
  const initial = definition.states.find((s) => s.initial)!;
  const priority = input.priority ?? 'normal';
  const dueAt = input.dueAt ?? initialDueAt(definition, now, calendar, input.priority);
  const { id, ref } = identity;
  const link = nextLink(null, {
    taskId: id,
    at: now,
    actorId: actor.id,
    actorRole: actor.role,
    action: 'create',
    fromState: null,
    toState: initial.key,
    data: creationData(workflow, input, leads, cos, dueAt),
    requestId,
  });
  const timerTask = {
    state: initial.key,
    createdAt: now,
    stateEnteredAt: now,
    dueAt: initial.pauseClock ? null : dueAt,
    pausedWorkingMs: 0,
    priority: input.priority,
    // Every co-unit owes its opinion (会办意见) from the assignment on.
    coOpinionsOwed: cos.length,
  };
  return {
    task: {
      id,
      ref,
      workflow_key: workflow.key,
      workflow_version: workflow.version,
      title: input.title,
      body: input.body ?? null,
      state: initial.key,
      state_entered_at: now,
      parent_id: input.parentId ?? null,
      external_ref: input.externalRef ?? null,
      import_key: null,
      priority,
      due_at: dueAt,
      paused_since: initial.pauseClock ? now : null,
      card: null,
      data: input.data ?? {},
      created_by: actor.id,
      created_at: now,
      plan_id: input.planId ?? null,
      primary_department_id: leads[0]!,
      ...NO_FACTS_YET,
      paused_working_ms: 0,
      rating: null,
      rated_at: null,
      supervising_department_ids: input.parentId ? unique(input.supervisingDepartmentIds ?? []) : [],
    },
    owners: [...leads.map((d) => ({ departmentId: d, role: 'lead' as const })), ...cos.map((d) => ({ departmentId: d, role: 'co' as const }))],
    link,
    events: [
      { event: 'task.created', payload: { taskId: id, ref, workflow: workflow.key, state: initial.key, leadDepartmentIds: leads, coDepartmentIds: cos } },
    ],
    facts: [],
    timers: planTimers(definition, timerTask, calendar, now),
  };
}

/** What the audit link `create` records of the new task. */
function creationData(workflow: RunningWorkflow, input: NewTask, leads: string[], cos: string[], dueAt: Date | null): Record<string, unknown> {
  return stripUndefined({
    title: input.title,
    workflow: `${workflow.key}@${workflow.version}`,
    leadDepartmentIds: leads,
    coDepartmentIds: cos,
    dueAt: dueAt?.toISOString(),
    priority: input.priority ?? 'normal',
    parentId: input.parentId,
    externalRef: input.externalRef,
    planId: input.planId,
  });
}

function stripUndefined(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}
