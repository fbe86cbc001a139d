import { Module } from '@nestjs/common';
import { CalendarsModule } from '@duban/calendars';
import { TasksModule } from '@duban/tasks';
import { WorkflowsModule } from '@duban/workflows';
import { PlansService } from './plans.service.js';

@Module({ imports: [TasksModule, WorkflowsModule, CalendarsModule], providers: [PlansService], exports: [PlansService] })
export class PlansModule {}
