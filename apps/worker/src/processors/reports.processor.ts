import { Inject, Injectable } from '@nestjs/common';
import type { JobHandlers, JobSchedule, QueueProcessor } from '@duban/queues';
import { MONTHLY_BULLETIN_SCHEDULE, REPORTS_QUEUE, type ReportJobs, ReportsService } from '@duban/reports';

@Injectable()
export class ReportsProcessor implements QueueProcessor<ReportJobs> {
  readonly queue = REPORTS_QUEUE;
  readonly handlers: JobHandlers<ReportJobs>;
  readonly schedules: JobSchedule<ReportJobs>[] = [MONTHLY_BULLETIN_SCHEDULE];

  constructor(@Inject(ReportsService) reports: ReportsService) {
    this.handlers = { 'monthly-bulletin': () => reports.publishMonthly() };
  }
}
