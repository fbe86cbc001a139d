import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiEnv, validateEnv } from '@duban/config';
import { dataSourceOptions } from '@duban/db';
import { AttachmentsModule } from '@duban/attachments';
import { DbPoolMetrics, HealthModule } from '@duban/health';
import { loggingModule, MetricsModule } from '@duban/http';
import { bullRoot, RedisModule } from '@duban/queues';
import { CalendarsModule } from '@duban/calendars';
import { NotificationsModule } from '@duban/notifications';
import { OrgModule } from '@duban/org';
import { PlansModule } from '@duban/plans';
import { ReportsModule } from '@duban/reports';
import { TasksModule } from '@duban/tasks';
import { WorkflowsModule } from '@duban/workflows';
import { AttachmentsController } from './attachments/attachments.controller.js';
import { AuthModule } from './auth/auth.module.js';
import { CalendarsController } from './calendars/calendars.controller.js';
import { NotificationStreamService } from './notifications/notification-stream.service.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { DepartmentsController, UsersController } from './org/org.controllers.js';
import { PlansController } from './plans/plans.controller.js';
import { ReportsController } from './reports/reports.controller.js';
import { TasksController } from './tasks/tasks.controller.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';
import { WorkflowsController } from './workflows/workflows.controller.js';

@Module({})
export class ApiModule {
  /** Reads and validates the environment when called, so a bad variable stops start-up by name. */
  static register(): DynamicModule {
    const env = validateEnv(ApiEnv, process.env);
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: () => env }),
        loggingModule('api'),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) =>
            dataSourceOptions({
              url: config.getOrThrow<string>('DATABASE_URL'),
              poolSize: config.getOrThrow<number>('DB_POOL_SIZE'),
              poolWaitMs: config.getOrThrow<number>('DB_POOL_WAIT_MS'),
              applicationName: 'duban-api',
            }),
        }),
        RedisModule,
        bullRoot(),
        MetricsModule,
        HealthModule,
        AuthModule,
        OrgModule,
        CalendarsModule,
        WorkflowsModule,
        TasksModule,
        AttachmentsModule,
        NotificationsModule,
        PlansModule,
        ReportsModule,
      ],
      providers: [NotificationStreamService, DbPoolMetrics],
      controllers: [
        DepartmentsController,
        UsersController,
        CalendarsController,
        WorkflowsController,
        TasksController,
        AttachmentsController,
        NotificationsController,
        WebhooksController,
        PlansController,
        ReportsController,
      ],
    };
  }
}
