import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { type DynamicModule, Inject, Module, type Provider, type Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Queue } from 'bullmq';
import { Producer } from './producer.js';
import { jobOptionsOf, type QueueDefinition, type QueueProcessor } from './queue-definition.js';
import { QUEUE_PROCESSORS, QueueWorkers } from './queue-workers.js';

/**
 * Producers: the shared @nestjs/bullmq connection and QUEUE_PREFIX, once per app; the queues
 * themselves come from ProducersModule.register.
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

/** The injection token of a queue's Producer. */
export const producerToken = (definition: Pick<QueueDefinition, 'name'>) => `duban:producer:${definition.name}`;

/** Injects the Producer of a queue that the module registered with ProducersModule.register. */
export const InjectProducer = (definition: Pick<QueueDefinition, 'name'>) => Inject(producerToken(definition));

/**
 * The queues a module adds jobs to, built here and nowhere else: each on the bullRoot
 * connection with its definition's job options (read from the environment when the definition
 * says so), behind a typed Producer injected with @InjectProducer(DEFINITION).
 */
@Module({})
export class ProducersModule {
  // `any`: queues with different payload maps are registered together.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static register(...definitions: QueueDefinition<any>[]): DynamicModule {
    const producers: Provider[] = definitions.map((definition) => ({
      provide: producerToken(definition),
      useFactory: (queue: Queue) => new Producer(definition, queue),
      inject: [getQueueToken(definition.name)],
    }));
    return {
      module: ProducersModule,
      imports: [
        BullModule.registerQueueAsync(
          ...definitions.map((definition) => ({
            name: definition.name,
            inject: [ConfigService],
            useFactory: (config: ConfigService) => ({ defaultJobOptions: jobOptionsOf(definition, config) }),
          })),
        ),
      ],
      providers: producers,
      exports: definitions.map(producerToken),
    };
  }
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
