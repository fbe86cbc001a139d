import { Module } from '@nestjs/common';
import { AuditModule } from '@duban/audit';
import { CalendarsModule } from '@duban/calendars';
import { WorkflowsModule } from '@duban/workflows';
import { TasksService } from './tasks.service.js';

@Module({ imports: [AuditModule, CalendarsModule, WorkflowsModule], providers: [TasksService], exports: [TasksService] })
export class TasksModule {}
