import { afterEach, beforeAll, afterAll, describe, expect, it } from '@jest/globals';
import { Injectable, type Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullRoot, type JobHandlers, MissingJobHandlerError, type QueueDefinition, type QueueProcessor, QueueWorkers, QueueWorkersModule } from '@duban/queues';
import { createTestEnv, type TestEnv, waitFor } from './support/test-env.js';

interface EchoJobs {
  echo: { id: string };
  slow: { id: string };
}

const ECHO_QUEUE: QueueDefinition<EchoJobs> = {
  name: 'echo',
  jobNames: ['echo', 'slow'],
  defaultJobOptions: { attempts: 1 },
  concurrency: 2,
};

const seen: string[] = [];
let releaseSlow: () => void = () => undefined;

@Injectable()
class EchoProcessor implements QueueProcessor<EchoJobs> {
  readonly queue = ECHO_QUEUE;
  readonly handlers: JobHandlers<EchoJobs> = {
    echo: async (job: Job<{ id: string }>) => {
      seen.push(job.data.id);
      return job.data.id;
    },
    slow: async (job: Job<{ id: string }>) => {
      await new Promise<void>((resolve) => (releaseSlow = resolve));
      seen.push(job.data.id);
    },
  };
}

@Injectable()
class IncompleteProcessor {
  readonly queue = ECHO_QUEUE;
  readonly handlers = { echo: async () => undefined };
}

// On Redis whatever QUEUE_BACKEND the run has: it checks Redis keys and CLIENT LIST, and the queue
// code it tests is the same on both backends (the timer, notification and fault suites run on both).
describe('queue workers on real Redis', () => {
  let testEnv: TestEnv;
  let producer: Queue;

  const start = async (processors: Type<QueueProcessor>[]) => {
    const module = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ ...testEnv.env, QUEUE_BACKEND: 'redis', DB_POOL_SIZE: 2, JOB_LOCK_MS: 5000 })] }),
        bullRoot(),
        QueueWorkersModule.register(processors),
      ],
    }).compile();
    const app = module.createNestApplication();
    await app.init();
    return app;
  };

  beforeAll(async () => {
    testEnv = await createTestEnv({ migrated: false });
    producer = new Queue(ECHO_QUEUE.name, { connection: { url: testEnv.redisUrl }, prefix: testEnv.queuePrefix });
  });

  afterEach(() => {
    seen.length = 0;
  });

  afterAll(async () => {
    await producer?.close();
    await testEnv?.dispose();
  });

  it('runs each job through the handler named by the job, under QUEUE_PREFIX', async () => {
    const app = await start([EchoProcessor]);
    try {
      await producer.add('echo', { id: 'a-1' }, { jobId: 'echo-a-1' });
      await waitFor(() => seen.includes('a-1'), 'the echo job');
      const counts = await app.get(QueueWorkers).counts();
      expect(counts.filter((c) => c.queue === 'echo').map((c) => c.state)).toEqual(['waiting', 'active', 'delayed', 'failed']);
      const redis = new Redis(testEnv.redisUrl);
      try {
        expect(await redis.exists(`${testEnv.queuePrefix}:echo:echo-a-1`)).toBe(1);
      } finally {
        redis.disconnect();
      }
    } finally {
      await app.close();
    }
  });

  it('refuses to start when a job name has no handler', async () => {
    await expect(start([IncompleteProcessor as unknown as Type<QueueProcessor>])).rejects.toThrow(MissingJobHandlerError);
    await expect(start([IncompleteProcessor as unknown as Type<QueueProcessor>])).rejects.toThrow(/no handler for job\(s\): slow/);
  });

  it('lets an active job finish before shutdown completes', async () => {
    const app = await start([EchoProcessor]);
    await producer.add('slow', { id: 's-1' }, { jobId: 'slow-s-1' });
    await waitFor(async () => (await producer.getActiveCount()) === 1, 'the slow job to be active');
    // The worker is seen in CLIENT LIST, so its leaving it below means something.
    await waitFor(async () => (await producer.getWorkersCount()) === 1, 'the worker to be listed');
    let closed = false;
    const closing = app.close().then(() => {
      closed = true;
      // Where the job stood when shutdown completed: it must have finished first.
      seen.push('closed');
    });
    // The worker drops its blocking connection (leaves CLIENT LIST) once it has stopped taking jobs
    // and is waiting for the active one: shutdown is under way and has got as far as it can go.
    await waitFor(async () => (await producer.getWorkersCount()) === 0, 'the worker to stop taking jobs');
    expect(closed).toBe(false);
    expect(await producer.getJobState('slow-s-1')).toBe('active');
    releaseSlow();
    await closing;
    expect(seen).toEqual(['s-1', 'closed']);
    expect(await producer.getJobState('slow-s-1')).toBe('completed');
  });
});
