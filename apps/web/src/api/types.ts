import type { components } from './schema';

type Schemas = components['schemas'];

/** The signed-in user (GET /me, and the login's `user`). */
export type Me = Schemas['MeDto'];
export type Role = Me['roles'][number];

/** An action the user may take now: its button label and the inputs its form asks for (the task view's `actions`). */
export type TaskAction = Schemas['TaskActionViewDto'];

/** Working time left until the due date, worded by the api (`剩余 2 个工作日`, `已逾期 3 个工作日`). */
export type TimeLeft = Schemas['TaskTimeLeftDto'];

export type TaskOwner = Schemas['TaskOwnerDto'];

/** Roll-up of a task's children (light counts and mean progress). */
export type ChildrenSummary = Schemas['ChildrenSummaryDto'];

/** A task as GET /tasks/:id and each list item answer it. */
export type Task = Schemas['TaskViewDto'];

/** A page of GET /tasks. */
export type TaskList = Schemas['TaskListDto'];

/** One link of a task's audit trail (GET /tasks/:id/audit). */
export type AuditEntry = Schemas['AuditEntryDto'];

export type AuditVerification = Schemas['AuditVerificationDto'];
export type Attachment = Schemas['AttachmentViewDto'];

/** An inbox notice (GET /me/notifications). */
export type Notice = Schemas['NotificationDto'];

export type Department = Schemas['DepartmentDto'];

export type User = Schemas['UserDto'];

/** The latest version of a workflow (GET /workflows). */
export type WorkflowSummary = Schemas['WorkflowSummaryDto'];
