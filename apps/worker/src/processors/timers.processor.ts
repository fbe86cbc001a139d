import { Inject, Injectable } from '@nestjs/common';
import type { JobHandlers, QueueProcessor } from '@duban/queues';
import { TimerFiringService, type TimerJobs, TIMERS_QUEUE } from '@duban/timers';

@Injectable()
export class TimersProcessor implements QueueProcessor<TimerJobs> {
  readonly queue = TIMERS_QUEUE;
  readonly handlers: JobHandlers<TimerJobs>;

  constructor(@Inject(TimerFiringService) firing: TimerFiringService) {
    this.handlers = { fire: (job) => firing.fire(job.data.timerId) };
  }
}
