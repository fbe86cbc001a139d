import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AUDIT_ANCHOR_SCHEDULE, AUDIT_QUEUE, type AuditJobs, AuditService } from '@duban/audit';
import type { JobHandlers, JobSchedule, QueueProcessor } from '@duban/queues';

@Injectable()
export class AuditProcessor implements QueueProcessor<AuditJobs> {
  readonly queue = AUDIT_QUEUE;
  readonly handlers: JobHandlers<AuditJobs>;
  readonly schedules: JobSchedule<AuditJobs>[];

  constructor(@Inject(AuditService) audit: AuditService, @Inject(ConfigService) config: ConfigService) {
    const settleMs = config.getOrThrow<number>('AUDIT_ANCHOR_SETTLE_MS');
    const out = { log: config.get<string>('AUDIT_ANCHOR_LOG'), witnessUrl: config.get<string>('AUDIT_ANCHOR_WITNESS_URL') };
    this.handlers = { anchor: () => audit.anchor(settleMs, new Date(), out) };
    this.schedules = [{ id: AUDIT_ANCHOR_SCHEDULE, job: 'anchor', everyMs: config.getOrThrow<number>('AUDIT_ANCHOR_EVERY_MS') }];
  }
}
