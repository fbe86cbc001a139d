import type { StoredEntry } from '@duban/audit';
import { BUILT_IN_ACTS, isBuiltInAct, stateOf, type WorkflowDefinition } from '@duban/engine';

/**
 * What the system itself writes into a task's audit chain, in the words of the timeline:
 * creation (creation.ts), history import (task-import.service.ts), due dates recounted after a
 * calendar change (replan.ts), files added (attachments' evidence.ts) and timers firing
 * (`timer.<kind>`, timers' firing.ts).
 */
export const SYSTEM_ACTION_LABELS: Readonly<Record<string, string>> = {
  create: '创建',
  imported: '导入',
  replanned: '期限重算',
  attach: '上传附件',
  'timer.reminder': '到期提醒',
  'timer.overdue': '逾期',
  'timer.escalation': '升级督办',
  'timer.sla_breach': '环节超时',
  'timer.progress': '进度催报',
  'timer.callback': '回访提醒',
};

/** Who acted, as the timeline names them: the user's display name and department (as they are now). */
export interface AuditActor {
  name: string;
  departmentName: string | null;
}

/** An audit entry as GET /tasks/:id/audit answers it: the stored link, with names and labels for a person. */
export interface AuditEntryView {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorDepartmentName: string | null;
  actorRole: string;
  action: string;
  actionLabel: string;
  fromState: string | null;
  fromStateLabel: string | null;
  toState: string | null;
  toStateLabel: string | null;
  data: Record<string, unknown>;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

/** The label of an audited action: a built-in act's, a transition's (default its action), a system word, else the action. */
export function auditActionLabel(definition: WorkflowDefinition, action: string): string {
  if (isBuiltInAct(action)) return BUILT_IN_ACTS[action].label;
  const transition = definition.transitions.find((t) => t.action === action);
  if (transition) return transition.label ?? action;
  return SYSTEM_ACTION_LABELS[action] ?? action;
}

const stateLabel = (definition: WorkflowDefinition, state: string | null) => (state === null ? null : (stateOf(definition, state)?.label ?? state));

/** The entry with its actor's names and the labels of its action and states in the task's pinned workflow version. */
export function auditEntryView(entry: StoredEntry, definition: WorkflowDefinition, actors: ReadonlyMap<string, AuditActor>): AuditEntryView {
  const actor = entry.actorId === null ? undefined : actors.get(entry.actorId);
  return {
    seq: entry.seq,
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    actorName: actor?.name ?? null,
    actorDepartmentName: actor?.departmentName ?? null,
    actorRole: entry.actorRole,
    action: entry.action,
    actionLabel: auditActionLabel(definition, entry.action),
    fromState: entry.fromState,
    fromStateLabel: stateLabel(definition, entry.fromState),
    toState: entry.toState,
    toStateLabel: stateLabel(definition, entry.toState),
    data: entry.data,
    requestId: entry.requestId,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}
