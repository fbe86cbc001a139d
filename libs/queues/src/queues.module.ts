import { type DynamicModule, Inject, Module, type Provider, type Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Producer } from './producer.js';
import { AppQueueStore, QueueStoreModule } from './queue-backend.js';
import { jobOptionsOf, type QueueDefinition, type QueueProcessor } from './queue-definition.js';
import { QUEUE_PROCESSORS, QueueWorkers } from './queue-workers.js';

/**
 * Where the queues live (Redis or PostgreSQL, QUEUE_BACKEND), once per app; the queues
 * themselves come from ProducersModule.register.
 */
export function bullRoot(): DynamicModule {
  return { module: QueueStoreModule };
}

/** The injection token of a queue's Producer. */
export const producerToken = (definition: Pick<QueueDefinition, 'name'>) => `duban:producer:${definition.name}`;

/** Injects the Producer of a queue that the module registered with ProducersModule.register. */
export const InjectProducer = (definition: Pick<QueueDefinition, 'name'>) => Inject(producerToken(definition));

/**
 * The queues a module adds jobs to, built here and nowhere else: each made by the app's
 * QueueStore (bullRoot) with its definition's job options (read from the environment when the definition
 * says so), behind a typed Producer injected with @InjectProducer(DEFINITION).
 */
@Module({})
export class ProducersModule {
  // `any`: queues with different payload maps are registered together.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static register(...definitions: QueueDefinition<any>[]): DynamicModule {
    const producers: Provider[] = definitions.map((definition) => ({
      provide: producerToken(definition),
      useFactory: (store: AppQueueStore, config: ConfigService) => new Producer(definition, store.queue(definition.name, jobOptionsOf(definition, config))),
      inject: [AppQueueStore, ConfigService],
    }));
    return { module: ProducersModule, providers: producers, exports: definitions.map(producerToken) };
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
