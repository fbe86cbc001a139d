import { Module } from '@nestjs/common';
import { CalendarsModule } from '@duban/calendars';
import { NotificationsModule } from '@duban/notifications';
import { ProducersModule } from '@duban/queues';
import { TasksModule } from '@duban/tasks';
import { WorkflowsModule } from '@duban/workflows';
import { TimerFiringService } from './timer-firing.service.js';
import { TimerPumpService } from './timer-pump.service.js';
import { TimerReplanService } from './timer-replan.service.js';
import { TIMER_REPLANS_QUEUE } from './timer-replans.queue.js';
import { TIMERS_QUEUE } from './timers.queue.js';

@Module({
  imports: [ProducersModule.register(TIMERS_QUEUE, TIMER_REPLANS_QUEUE), TasksModule, WorkflowsModule, CalendarsModule, NotificationsModule],
  providers: [TimerFiringService, TimerPumpService, TimerReplanService],
  exports: [TimerFiringService, TimerPumpService, TimerReplanService],
})
export class TimersModule {}
