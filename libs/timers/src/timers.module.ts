import { Module } from '@nestjs/common';
import { NotificationsModule } from '@duban/notifications';
import { ProducersModule } from '@duban/queues';
import { TasksModule } from '@duban/tasks';
import { WorkflowsModule } from '@duban/workflows';
import { TimerFiringService } from './timer-firing.service.js';
import { TimerPumpService } from './timer-pump.service.js';
import { TIMERS_QUEUE } from './timers.queue.js';

@Module({
  imports: [ProducersModule.register(TIMERS_QUEUE), TasksModule, WorkflowsModule, NotificationsModule],
  providers: [TimerFiringService, TimerPumpService],
  exports: [TimerFiringService, TimerPumpService],
})
export class TimersModule {}
