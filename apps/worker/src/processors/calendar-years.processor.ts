import { Inject, Injectable } from '@nestjs/common';
import { AWAITED_YEARS_SCHEDULE, CALENDAR_YEARS_QUEUE, type CalendarYearJobs, CalendarYearNotices } from '@duban/calendars';
import type { JobHandlers, JobSchedule, QueueProcessor } from '@duban/queues';

@Injectable()
export class CalendarYearsProcessor implements QueueProcessor<CalendarYearJobs> {
  readonly queue = CALENDAR_YEARS_QUEUE;
  readonly handlers: JobHandlers<CalendarYearJobs>;
  readonly schedules: JobSchedule<CalendarYearJobs>[] = [AWAITED_YEARS_SCHEDULE];

  constructor(@Inject(CalendarYearNotices) notices: CalendarYearNotices) {
    this.handlers = { 'notice-awaited-years': () => notices.noticeAwaitedYears() };
  }
}
