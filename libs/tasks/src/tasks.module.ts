import { Module } from '@nestjs/common';
import { AuditModule } from '@duban/audit';
import { WorkflowsModule } from '@duban/workflows';
import { TaskImportService } from './task-import.service.js';
import { TaskStore } from './task-store.js';
import { TasksService } from './tasks.service.js';

@Module({
  imports: [AuditModule, WorkflowsModule],
  providers: [TasksService, TaskImportService, TaskStore],
  exports: [TasksService, TaskImportService, TaskStore],
})
export class TasksModule {}
