import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from '@duban/http';
import { QueueWorkers } from '@duban/queues';

/** Job counts per queue and state, read from Redis when Prometheus scrapes. */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    @Inject(MetricsRegistry) private readonly registry: MetricsRegistry,
    @Inject(QueueWorkers) private readonly workers: QueueWorkers,
  ) {}

  onModuleInit(): void {
    const workers = this.workers;
    new Gauge({
      name: 'duban_queue_jobs',
      help: 'Jobs per queue and state (waiting, active, delayed, failed)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { queue, state, count } of await workers.counts()) this.set({ queue, state }, count);
      },
    });
  }
}
