import { Inject, Injectable } from '@nestjs/common';
import { DelayedError } from 'bullmq';
import { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from '@duban/http';
import { Coalescer, type JobHandlers, type QueueProcessor } from '@duban/queues';
import { FIRING_BATCH, type FiringOutcome, TimerFiringService, type TimerJobs, TIMERS_QUEUE } from '@duban/timers';

@Injectable()
export class TimersProcessor implements QueueProcessor<TimerJobs> {
  readonly queue = TIMERS_QUEUE;
  readonly handlers: JobHandlers<TimerJobs>;

  constructor(@Inject(TimerFiringService) firing: TimerFiringService, @Inject(MetricsRegistry) registry: MetricsRegistry) {
    const lateness = new Histogram({
      name: 'duban_timer_lateness_seconds',
      help: 'How late timers fire after their due time',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    const notices = new Counter({ name: 'duban_notifications_sent_total', help: 'Inbox notices created by timers', registers: [registry] });
    // Jobs stay one per timer (retries, stalls and lost-job recovery work per timer); the timers
    // of jobs that are active together fire in one transaction.
    const batches = new Coalescer<string, FiringOutcome>((ids) => firing.fireMany(ids), FIRING_BATCH);
    this.handlers = {
      fire: async (job) => {
        const outcome = await batches.call(job.data.timerId);
        if (!outcome.fired && outcome.dueInMs !== undefined) {
          // Early by the database's clock (a host whose clock runs ahead delayed it too little):
          // the job waits out the rest, on this host's clock, without spending an attempt.
          await job.moveToDelayed(Date.now() + outcome.dueInMs, job.token);
          throw new DelayedError();
        }
        if (outcome.fired) {
          for (const ms of [outcome.latenessMs, ...outcome.backlogLatenessMs]) lateness.observe(Math.max(0, ms) / 1000);
          notices.inc(outcome.notices);
        }
        return outcome;
      },
    };
  }
}
