import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@duban/audit';
import { CalendarYearNoticesModule } from '@duban/calendars';
import { NotificationsModule, OutboxRelayModule } from '@duban/notifications';
import { ReportsModule } from '@duban/reports';
import { TasksModule } from '@duban/tasks';
import { TimersModule } from '@duban/timers';
import { validateEnv, WorkerEnv } from '@duban/config';
import { dataSourceOptions } from '@duban/db';
import { DbPoolMetrics, HealthModule } from '@duban/health';
import { loggingModule, MetricsModule } from '@duban/http';
import { bullRoot, type QueueProcessor, QueueWorkersModule, RedisModule } from '@duban/queues';
import { PROCESSORS } from './processors.js';
import { QueueMetrics } from './queue-metrics.js';
import { RedisPolicyCheck } from './redis-policy.check.js';
import { StoreMetrics } from './store-metrics.js';

@Module({})
export class WorkerModule {
  static register(processors: Type<QueueProcessor>[] = PROCESSORS): DynamicModule {
    const env = validateEnv(WorkerEnv, process.env);
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: () => env }),
        loggingModule('worker'),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) =>
            dataSourceOptions({
              url: config.getOrThrow<string>('DATABASE_URL'),
              poolSize: config.getOrThrow<number>('DB_POOL_SIZE'),
              poolWaitMs: config.getOrThrow<number>('DB_POOL_WAIT_MS'),
              applicationName: 'duban-worker',
            }),
        }),
        RedisModule,
        bullRoot(),
        MetricsModule,
        HealthModule,
        TimersModule,
        OutboxRelayModule,
        QueueWorkersModule.register(processors, [
          AuditModule,
          TasksModule,
          TimersModule,
          NotificationsModule,
          ReportsModule,
          CalendarYearNoticesModule,
          MetricsModule,
        ]),
      ],
      providers: [QueueMetrics, StoreMetrics, RedisPolicyCheck, DbPoolMetrics],
    };
  }
}
