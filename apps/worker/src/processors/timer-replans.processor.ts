import { Inject, Injectable } from '@nestjs/common';
import type { JobHandlers, QueueProcessor } from '@duban/queues';
import { TimerReplanService, type TimerReplanJobs, TIMER_REPLANS_QUEUE } from '@duban/timers';

@Injectable()
export class TimerReplansProcessor implements QueueProcessor<TimerReplanJobs> {
  readonly queue = TIMER_REPLANS_QUEUE;
  readonly handlers: JobHandlers<TimerReplanJobs>;

  constructor(@Inject(TimerReplanService) replans: TimerReplanService) {
    this.handlers = { replan: (job) => replans.run(job.data.requestId) };
  }
}
