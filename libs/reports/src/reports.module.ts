import { Module } from '@nestjs/common';
import { CalendarsModule } from '@duban/calendars';
import { NotificationsModule } from '@duban/notifications';
import { WorkflowsModule } from '@duban/workflows';
import { ReportsService } from './reports.service.js';

@Module({ imports: [CalendarsModule, WorkflowsModule, NotificationsModule], providers: [ReportsService], exports: [ReportsService] })
export class ReportsModule {}
