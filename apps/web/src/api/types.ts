import type { components } from './schema';

type Schemas = components['schemas'];

/** The signed-in user (GET /me, and the login's `user`). */
export type Me = Schemas['MeDto'];
export type Role = Me['roles'][number];

/** An action the user may take now: its button label and the inputs its form asks for (API.md task view `actions`). */
export interface TaskAction {
  action: string;
  label: string;
  /** ⊂ comment | rating | dueAt | progress | assignee | card */
  requires: string[];
}

/** Working time left until the due date, worded by the api (`剩余 2 个工作日`, `已逾期 3 个工作日`). */
export interface TimeLeft {
  overdue: boolean;
  workingDays: number;
  words: string;
}

export interface TaskOwner {
  departmentId: string;
  role: 'lead' | 'co';
  departmentName?: string;
}

/** Roll-up of a task's children (light counts and mean progress). */
export interface ChildrenSummary {
  total: number;
  open: number;
  green: number;
  yellow: number;
  red: number;
  progress: number | null;
}

/**
 * Fields of the task view that newer apis add (names, labels, time left, actions with their
 * inputs, parent and children): optional, so that the console still shows what an older api gives.
 */
interface TaskViewAdditions {
  workflowName: string;
  stateLabel: string;
  assigneeName: string | null;
  actions: TaskAction[];
  timeLeft: TimeLeft | null;
  timezone: string;
  requestedDueAt: string | null;
  parent: { id: string; ref: string; title: string } | null;
  children: ChildrenSummary | null;
}

/** A task as GET /tasks/:id and each list item answer it. */
export type Task = Omit<Schemas['TaskViewDto'], 'owners'> & { owners: TaskOwner[] } & Partial<TaskViewAdditions>;

export interface Page<T> {
  items: T[];
  total: number;
}

/** One link of a task's audit trail (GET /tasks/:id/audit), with the names newer apis add. */
export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorName?: string | null;
  actorDepartmentName?: string | null;
  action: string;
  actionLabel?: string;
  fromState: string | null;
  fromStateLabel?: string | null;
  toState: string | null;
  toStateLabel?: string | null;
  data: Record<string, unknown>;
}

export type AuditVerification = Schemas['AuditVerificationDto'];
export type Attachment = Schemas['AttachmentViewDto'];

/** An inbox notice (GET /me/notifications). */
export interface Notice {
  id: string;
  kind: string;
  taskId: string | null;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export interface Department {
  id: string;
  code: string;
  name: string;
  kind: string;
  parentId: string | null;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  departmentId: string | null;
  roles: Role[];
}

export interface WorkflowSummary {
  key: string;
  name: string;
  version: number;
}
