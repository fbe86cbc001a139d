import type { Job, JobsOptions } from 'bullmq';
import { jobRecovery } from './job-recovery.js';
import type { AnyQueue } from './queue-backend.js';
import type { JobName, JobPayloads, QueueDefinition } from './queue-definition.js';

/**
 * What a producer chooses per job: when it may run. The job id comes from the definition's
 * jobIds and the retry policy from its defaultJobOptions, so neither can be passed here.
 */
export type ProducerJobOptions = Pick<JobsOptions, 'delay' | 'priority'>;

/** One job for addBulk: a job name of the queue with that name's payload. */
export type JobRequest<Payloads extends JobPayloads<Payloads>> = {
  [Name in JobName<Payloads>]: { name: Name; data: Payloads[Name]; opts?: ProducerJobOptions };
}[JobName<Payloads>];

/**
 * The one way Duban adds jobs: add and addBulk take only the definition's job names, each with
 * its payload type, so a wrong name or payload is a compile error. Nest modules get one through
 * ProducersModule.register and @InjectProducer.
 */
export class Producer<Payloads extends JobPayloads<Payloads>> {
  constructor(
    readonly definition: QueueDefinition<Payloads>,
    private readonly queue: AnyQueue,
  ) {}

  add<Name extends JobName<Payloads>>(name: Name, data: Payloads[Name], opts?: ProducerJobOptions): Promise<Job> {
    return this.queue.add(name, data, this.options(name, data, opts));
  }

  /** Adds the jobs in one round trip. */
  addBulk(jobs: readonly JobRequest<Payloads>[]): Promise<Job[]> {
    return this.queue.addBulk(jobs.map(({ name, data, opts }) => ({ name, data, opts: this.options(name, data as Payloads[typeof name], opts) })));
  }

  /** The job id the definition gives this payload, or undefined when the job name has none. */
  jobId<Name extends JobName<Payloads>>(name: Name, data: Payloads[Name]): string | undefined {
    return this.definition.jobIds?.[name]?.(data);
  }

  /**
   * Adds jobs afresh whose earlier job (same deterministic id) failed for good: the failed job is
   * removed first, since adding an id BullMQ still holds is a no-op, so each gets all its attempts
   * again. A job that is running meanwhile is locked: it stays, and the add leaves it alone.
   */
  async replaceFailed(jobs: readonly JobRequest<Payloads>[]): Promise<Job[]> {
    const ids = jobs.map(({ name, data }) => {
      const id = this.jobId(name, data as Payloads[typeof name]);
      if (id === undefined) throw new Error(`jobs "${name}" of queue "${this.definition.name}" have no deterministic id`);
      return id;
    });
    // Sent at once, the removals share round trips (ioredis pipelines concurrent commands).
    await Promise.all(ids.map((id) => this.queue.remove(id)));
    return this.addBulk(jobs);
  }

  /**
   * Makes sure each job can run, for rows whose work is not done: asks the queue (Redis or
   * PostgreSQL, through BullMQ's API), all probes sent at once, what state each job (by its
   * deterministic id) is in, adds again those the queue lost and replaces those that spent their
   * attempts (jobRecovery). Jobs that wait, wait for a retry or run are left alone. Returns how
   * many were lost and how many had failed, and the jobs it added again.
   *
   * `heldAs` names the id the queue holds a job under when that is not the one its payload gives
   * now (a timer job whose other timers fired since: what is left of it is added under its own id,
   * and a failed job is removed under the old one).
   */
  async restore(
    jobs: readonly JobRequest<Payloads>[],
    heldAs?: (job: JobRequest<Payloads>) => string | undefined,
  ): Promise<{ lost: number; failed: number; added: JobRequest<Payloads>[] }> {
    if (jobs.length === 0) return { lost: 0, failed: 0, added: [] };
    const ids = jobs.map((job) => {
      const id = heldAs?.(job) ?? this.jobId(job.name, job.data as Payloads[typeof job.name]);
      if (id === undefined) throw new Error(`jobs "${job.name}" of queue "${this.definition.name}" have no deterministic id`);
      return id;
    });
    const probes = await Promise.all(ids.map(async (id) => jobRecovery(await this.queue.getJobState(id))));
    const lost = jobs.filter((_, i) => probes[i] === 'lost');
    const failed = jobs.filter((_, i) => probes[i] === 'failed');
    if (lost.length > 0) await this.addBulk(lost);
    if (failed.length > 0) {
      // Sent at once, the removals share round trips (ioredis pipelines concurrent commands).
      await Promise.all(ids.filter((_, i) => probes[i] === 'failed').map((id) => this.queue.remove(id)));
      await this.addBulk(failed);
    }
    return { lost: lost.length, failed: failed.length, added: [...lost, ...failed] };
  }

  /** Only the options a producer may choose, copied field by field: a cast cannot slip a retry policy in. */
  private options<Name extends JobName<Payloads>>(name: Name, data: Payloads[Name], opts: ProducerJobOptions = {}): JobsOptions {
    const options: JobsOptions = {};
    const jobId = this.jobId(name, data);
    if (jobId !== undefined) options.jobId = jobId;
    if (opts.delay !== undefined) options.delay = opts.delay;
    if (opts.priority !== undefined) options.priority = opts.priority;
    return options;
  }
}
