import { Module } from '@nestjs/common';
import { CalendarsModule } from '@duban/calendars';
import { WorkflowsService } from './workflows.service.js';

@Module({ imports: [CalendarsModule], providers: [WorkflowsService], exports: [WorkflowsService] })
export class WorkflowsModule {}
