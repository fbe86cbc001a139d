import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { QueueProcessor } from './queue-definition.js';
import { QUEUE_PROCESSORS, QueueWorkers } from './queue-workers.js';

/**
 * Producers: the shared @nestjs/bullmq connection and QUEUE_PREFIX; a module that enqueues
 * registers its queue with BullModule.registerQueue and injects it with @InjectQueue.
 */
export function bullRoot(): DynamicModule {
  return BullModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService) => ({
      connection: { url: config.getOrThrow<string>('REDIS_URL') },
      prefix: config.getOrThrow<string>('QUEUE_PREFIX'),
    }),
  });
}

/** Consumers: the worker app lists its processors here, and nowhere else. */
@Module({})
export class QueueWorkersModule {
  static register(processors: Type<QueueProcessor>[], imports: DynamicModule['imports'] = []): DynamicModule {
    const collect: Provider = {
      provide: QUEUE_PROCESSORS,
      useFactory: (...instances: QueueProcessor[]) => instances,
      inject: processors,
    };
    return {
      module: QueueWorkersModule,
      imports,
      providers: [...processors, collect, QueueWorkers],
      exports: [QueueWorkers],
    };
  }
}
