import { Module } from '@nestjs/common';
import { AuditModule } from '@duban/audit';
import { CalendarsModule } from '@duban/calendars';
import { WorkflowsModule } from '@duban/workflows';
import { TaskImportService } from './task-import.service.js';
import { TasksService } from './tasks.service.js';

@Module({ imports: [AuditModule, CalendarsModule, WorkflowsModule], providers: [TasksService, TaskImportService], exports: [TasksService, TaskImportService] })
export class TasksModule {}
