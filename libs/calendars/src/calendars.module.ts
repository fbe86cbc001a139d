import { Module } from '@nestjs/common';
import { NotificationsModule } from '@duban/notifications';
import { CalendarYearNotices } from './calendar-year-notices.service.js';
import { CalendarsService } from './calendars.service.js';

@Module({ providers: [CalendarsService], exports: [CalendarsService] })
export class CalendarsModule {}

/** The worker's side: the notices that a year's schedule is awaited. */
@Module({ imports: [NotificationsModule], providers: [CalendarYearNotices], exports: [CalendarYearNotices] })
export class CalendarYearNoticesModule {}
