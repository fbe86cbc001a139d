import type { Type } from '@nestjs/common';
import type { QueueProcessor } from '@duban/queues';
import { AuditProcessor } from './processors/audit.processor.js';
import { CalendarYearsProcessor } from './processors/calendar-years.processor.js';
import { EventsProcessor, WebhooksProcessor } from './processors/events.processor.js';
import { MailProcessor } from './processors/mail.processor.js';
import { TaskMaintenanceProcessor } from './processors/task-maintenance.processor.js';
import { ReportsProcessor } from './processors/reports.processor.js';
import { TimerReplansProcessor } from './processors/timer-replans.processor.js';
import { TimersProcessor } from './processors/timers.processor.js';

/**
 * The queues this worker consumes, one processor each. A queue's processor is listed here
 * when its queue file is written; the worker refuses to start if one lacks a job handler.
 */
export const PROCESSORS: Type<QueueProcessor>[] = [
  AuditProcessor,
  TaskMaintenanceProcessor,
  TimersProcessor,
  TimerReplansProcessor,
  EventsProcessor,
  WebhooksProcessor,
  MailProcessor,
  ReportsProcessor,
  CalendarYearsProcessor,
];
