import { describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { JobsOptions, JobState } from 'bullmq';
import { Producer } from './producer.js';
import type { AnyQueue } from './queue-backend.js';
import { backoffDelayMs, jobOptionsOf, type QueueDefinition } from './queue-definition.js';

interface TestJobs {
  fire: { timerId: string };
  sweep: Record<string, never>;
}

const TEST_QUEUE: QueueDefinition<TestJobs> = {
  name: 'test',
  jobNames: ['fire', 'sweep'],
  defaultJobOptions: (config) => ({ attempts: 3, backoff: { type: 'exponential', delay: config.getOrThrow<number>('BACKOFF_MS') } }),
  jobIds: { fire: ({ timerId }) => `tm-${timerId}` },
  concurrency: 1,
};

/** Records what reaches BullMQ. */
function recordingQueue(states: Record<string, JobState> = {}) {
  const added: { name: string; data: unknown; opts: JobsOptions | undefined }[] = [];
  const queue = {
    add: async (name: string, data: unknown, opts?: JobsOptions) => added.push({ name, data, opts }),
    addBulk: async (jobs: { name: string; data: unknown; opts?: JobsOptions }[]) =>
      jobs.forEach((j) => added.push({ name: j.name, data: j.data, opts: j.opts })),
    getJobState: async (id: string) => states[id] ?? 'unknown',
    remove: async (id: string) => added.push({ name: 'remove', data: id, opts: undefined }),
  };
  return { added, producer: new Producer(TEST_QUEUE, queue as unknown as AnyQueue) };
}

describe('Producer', () => {
  it("gives each job the definition's id and only the options a producer may choose", async () => {
    const { added, producer } = recordingQueue();
    await producer.add('fire', { timerId: 't1' }, { delay: 500 });
    await producer.addBulk([
      { name: 'fire', data: { timerId: 't2' } },
      { name: 'sweep', data: {} },
    ]);
    // A cast cannot slip a retry policy or another id past the types.
    await producer.add('fire', { timerId: 't3' }, { attempts: 99, jobId: 'x' } as never);
    expect(added).toEqual([
      { name: 'fire', data: { timerId: 't1' }, opts: { jobId: 'tm-t1', delay: 500 } },
      { name: 'fire', data: { timerId: 't2' }, opts: { jobId: 'tm-t2' } },
      { name: 'sweep', data: {}, opts: {} },
      { name: 'fire', data: { timerId: 't3' }, opts: { jobId: 'tm-t3' } },
    ]);
  });

  it('replaces a failed job by removing its id before adding it afresh (adding a held id is a no-op)', async () => {
    const { added, producer } = recordingQueue();
    await producer.replaceFailed([{ name: 'fire', data: { timerId: 't1' } }]);
    expect(added.map((a) => [a.name, a.data])).toEqual([
      ['remove', 'tm-t1'],
      ['fire', { timerId: 't1' }],
    ]);
    await expect(producer.replaceFailed([{ name: 'sweep', data: {} }])).rejects.toThrow(/no deterministic id/);
  });

  it('asks the queue for each job by its id and adds again the lost one, replaces the failed one, leaves the live one', async () => {
    const { added, producer } = recordingQueue({ 'tm-failed': 'failed', 'tm-late': 'delayed' });
    const fire = (timerId: string) => ({ name: 'fire' as const, data: { timerId } });
    expect(await producer.restore([fire('lost'), fire('failed'), fire('late')])).toEqual({ lost: 1, failed: 1, added: [fire('lost'), fire('failed')] });
    expect(added.map((a) => [a.name, a.data])).toEqual([
      ['fire', { timerId: 'lost' }],
      ['remove', 'tm-failed'],
      ['fire', { timerId: 'failed' }],
    ]);
    await expect(producer.restore([{ name: 'sweep', data: {} }])).rejects.toThrow(/no deterministic id/);
  });

  it('asks about a job under the id the queue holds it by (heldAs), and adds what is left of it under its own', async () => {
    const { added, producer } = recordingQueue({ 'tm-old-failed': 'failed', 'tm-old-waiting': 'waiting' });
    const fire = (timerId: string) => ({ name: 'fire' as const, data: { timerId } });
    const held = new Map([
      ['a', 'tm-old-failed'],
      ['b', 'tm-old-lost'],
      ['c', 'tm-old-waiting'],
    ]);
    const result = await producer.restore([fire('a'), fire('b'), fire('c')], (job) => held.get((job.data as { timerId: string }).timerId));
    expect(result).toEqual({ lost: 1, failed: 1, added: [fire('b'), fire('a')] });
    expect(added.map((a) => [a.name, a.data, a.opts?.jobId])).toEqual([
      ['fire', { timerId: 'b' }, 'tm-b'],
      ['remove', 'tm-old-failed', undefined],
      ['fire', { timerId: 'a' }, 'tm-a'],
    ]);
  });

  it('accepts only the queue’s job names with their payloads (checked by tsc: npm run typecheck)', () => {
    const { producer } = recordingQueue();
    const unchecked = () => {
      // @ts-expect-error: not a job of this queue
      void producer.add('fier', { timerId: 't' });
      // @ts-expect-error: the payload of another job
      void producer.add('fire', {});
      // @ts-expect-error: a payload field of the wrong type
      void producer.add('fire', { timerId: 42 });
      // @ts-expect-error: a field the payload does not have
      void producer.add('fire', { timerId: 't', extra: true });
      // @ts-expect-error: attempts and backoff live in the definition
      void producer.add('fire', { timerId: 't' }, { attempts: 3 });
      // @ts-expect-error: the job id comes from the definition
      void producer.add('fire', { timerId: 't' }, { jobId: 'mine' });
      // @ts-expect-error: a bulk job whose payload belongs to another name
      void producer.addBulk([{ name: 'sweep', data: { timerId: 't' } }]);
      // @ts-expect-error: a bulk job with a retry policy
      void producer.addBulk([{ name: 'fire', data: { timerId: 't' }, opts: { backoff: 1000 } }]);
    };
    expect(typeof unchecked).toBe('function');
  });
});

describe('queue definitions', () => {
  const config = { getOrThrow: () => 200 } as unknown as ConfigService;

  it('read their job options from the environment when they say so', () => {
    expect(jobOptionsOf(TEST_QUEUE, config)).toEqual({ attempts: 3, backoff: { type: 'exponential', delay: 200 } });
    expect(jobOptionsOf({ defaultJobOptions: { attempts: 1 } }, config)).toEqual({ attempts: 1 });
  });

  it('predict the backoff BullMQ applies after each failed attempt', () => {
    const options = jobOptionsOf(TEST_QUEUE, config);
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(options, attempt))).toEqual([200, 400, 800, 1600]);
    expect(backoffDelayMs({ backoff: 300 }, 3)).toBe(300);
    expect(backoffDelayMs({ backoff: { type: 'fixed', delay: 50 } }, 2)).toBe(50);
    expect(backoffDelayMs({}, 1)).toBe(0);
  });
});
