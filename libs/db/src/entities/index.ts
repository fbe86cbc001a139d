import { AttachmentBlobEntity, AttachmentEntity } from './attachment.entity.js';
import { AuditAnchorEntity, AuditEntryEntity } from './audit.entity.js';
import { CalendarDayEntity, CalendarEntity, CalendarYearEntity } from './calendar.entity.js';
import { DepartmentEntity } from './department.entity.js';
import { LoginFailureEntity } from './login-failure.entity.js';
import { NotificationEntity, WebhookDeliveryEntity, WebhookEntity } from './notification.entity.js';
import { PlanEntity } from './plan.entity.js';
import {
  BulletinEntity,
  IdempotencyKeyEntity,
  OutboxEntity,
  TaskCoOpinionEntity,
  TaskEntity,
  TaskEventEntity,
  TaskOwnerEntity,
  TimerEntity,
} from './task.entity.js';
import { TimerReplanEntity } from './timer-replan.entity.js';
import { UserEntity } from './user.entity.js';
import { WorkflowVersionEntity } from './workflow-version.entity.js';

export * from './attachment.entity.js';
export * from './audit.entity.js';
export * from './calendar.entity.js';
export * from './department.entity.js';
export * from './login-failure.entity.js';
export * from './notification.entity.js';
export * from './plan.entity.js';
export * from './task.entity.js';
export * from './timer-replan.entity.js';
export * from './user.entity.js';
export * from './workflow-version.entity.js';

/** Every entity the data source knows; a new entity is registered here and nowhere else. */
export const ENTITIES = [
  UserEntity,
  DepartmentEntity,
  CalendarEntity,
  CalendarDayEntity,
  CalendarYearEntity,
  WorkflowVersionEntity,
  TaskEntity,
  TaskOwnerEntity,
  TaskCoOpinionEntity,
  TimerEntity,
  OutboxEntity,
  IdempotencyKeyEntity,
  AuditEntryEntity,
  AuditAnchorEntity,
  NotificationEntity,
  WebhookEntity,
  WebhookDeliveryEntity,
  PlanEntity,
  TaskEventEntity,
  BulletinEntity,
  AttachmentEntity,
  AttachmentBlobEntity,
  TimerReplanEntity,
  LoginFailureEntity,
];
