import { Inject, Injectable } from '@nestjs/common';
import type { JobHandlers, JobSchedule, QueueProcessor } from '@duban/queues';
import { PURGE_IDEMPOTENCY_KEYS_SCHEDULE, TASK_MAINTENANCE_QUEUE, type TaskMaintenanceJobs, TasksService } from '@duban/tasks';

@Injectable()
export class TaskMaintenanceProcessor implements QueueProcessor<TaskMaintenanceJobs> {
  readonly queue = TASK_MAINTENANCE_QUEUE;
  readonly handlers: JobHandlers<TaskMaintenanceJobs>;
  readonly schedules: JobSchedule<TaskMaintenanceJobs>[] = [{ id: PURGE_IDEMPOTENCY_KEYS_SCHEDULE, job: 'purge-idempotency-keys', everyMs: 3_600_000 }];

  constructor(@Inject(TasksService) tasks: TasksService) {
    this.handlers = { 'purge-idempotency-keys': () => tasks.purgeIdempotencyKeys() };
  }
}
