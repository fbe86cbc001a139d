import { Module } from '@nestjs/common';
import { CalendarsModule } from '@duban/calendars';
import { WorkflowRuntime } from './workflow-runtime.js';
import { WorkflowsService } from './workflows.service.js';

@Module({ imports: [CalendarsModule], providers: [WorkflowsService, WorkflowRuntime], exports: [WorkflowsService, WorkflowRuntime] })
export class WorkflowsModule {}
