import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { CalendarsModule } from '@duban/calendars';
import { NotificationsModule } from '@duban/notifications';
import { WorkflowsModule } from '@duban/workflows';
import { TimerFiringService } from './timer-firing.service.js';
import { TimerPumpService } from './timer-pump.service.js';
import { TIMERS_QUEUE } from './timers.queue.js';

@Module({
  imports: [
    BullModule.registerQueue({ name: TIMERS_QUEUE.name, defaultJobOptions: TIMERS_QUEUE.defaultJobOptions }),
    CalendarsModule,
    WorkflowsModule,
    NotificationsModule,
  ],
  providers: [TimerFiringService, TimerPumpService],
  exports: [TimerFiringService, TimerPumpService],
})
export class TimersModule {}
