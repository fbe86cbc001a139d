import { Inject, Injectable } from '@nestjs/common';
import { DelayedError } from 'bullmq';
import { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from '@duban/http';
import { Coalescer, type JobHandlers, type QueueProcessor } from '@duban/queues';
import { FIRING_BATCH, type FiringOutcome, TimerFiringService, type TimerJobs, timerIdsOf, TIMERS_QUEUE } from '@duban/timers';

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
    // A job holds a group of timers due close together (firingGroups); the timers of the jobs
    // active together fire in shared transactions of up to FIRING_BATCH.maxBatch.
    const batches = new Coalescer<string, FiringOutcome>((ids) => firing.fireMany(ids), FIRING_BATCH);
    this.handlers = {
      fire: async (job) => {
        const settled = await Promise.allSettled(timerIdsOf(job.data).map((id) => batches.call(id)));
        let fired = 0;
        let earlyMs = 0;
        for (const result of settled) {
          if (result.status === 'rejected') continue;
          const outcome = result.value;
          if (outcome.fired) {
            fired++;
            for (const ms of [outcome.latenessMs, ...outcome.backlogLatenessMs]) lateness.observe(Math.max(0, ms) / 1000);
            notices.inc(outcome.notices);
          } else if (outcome.dueInMs !== undefined) earlyMs = Math.max(earlyMs, outcome.dueInMs);
        }
        // A timer that failed fails the job, whose retry fires what is still live: the timers
        // that fired are claimed and come back `fired: false`.
        const failure = settled.find((r) => r.status === 'rejected');
        if (failure) throw failure.reason;
        if (earlyMs > 0) {
          // Early by the database's clock (a host whose clock runs ahead delayed it too little):
          // the job waits out the rest, on this host's clock, without spending an attempt.
          await job.moveToDelayed(Date.now() + earlyMs, job.token);
          throw new DelayedError();
        }
        return { fired };
      },
    };
  }
}
