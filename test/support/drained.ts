import pg from 'pg';
import { stackQueues, type TestEnv } from './test-env.js';

/**
 * The queues whose jobs make something a test can count (a notice, a mail, a webhook delivery),
 * in causal order: a timer fires into the outbox, the relay publishes an outbox row as an
 * `events` job, an events job queues `webhooks` and `mail` jobs before it completes.
 */
export const STACK_QUEUES = ['timers', 'events', 'webhooks', 'mail'] as const;

/** Every state a job can be in and still run: a delayed job (a retry's backoff, a timer) will. */
const PENDING_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

export interface DrainOptions {
  /** Queues to watch, upstream first; defaults to STACK_QUEUES. */
  queues?: readonly string[];
  timeoutMs?: number;
}

interface Snapshot {
  drained: boolean;
  /** What is still under way, for the error message. */
  pending: string[];
}

/**
 * Resolves once the stack of `testEnv` has nothing left to do: no timer that is due still
 * waiting in PostgreSQL for the pump, every outbox row dispatched, and no job waiting, active,
 * delayed or prioritized in the queues (the suite's, on its QUEUE_BACKEND). After that nothing
 * else can arrive unless the test itself acts, so a count taken then is final: this is what a
 * test waits for before asserting that something happened only once, instead of sleeping.
 *
 * The checks run in causal order, each after the one upstream of it, so work that moves
 * downstream between two reads is seen by the later read: an outbox row marked dispatched had
 * its events job added before the mark, and an events job completes only after queueing its
 * mails and deliveries. Fails after `timeoutMs` naming what was still pending.
 */
export async function waitForDrained(testEnv: Pick<TestEnv, 'databaseUrl' | 'redisUrl' | 'queuePrefix' | 'queueBackend'>, options: DrainOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const names = options.queues ?? STACK_QUEUES;
  const db = new pg.Client({ connectionString: testEnv.databaseUrl });
  const store = stackQueues(testEnv);
  const queues = names.map((name) => store.queue(name));
  await db.connect();
  try {
    const snapshot = async (): Promise<Snapshot> => {
      const pending: string[] = [];
      const count = async (sql: string, what: string) => {
        const n = (await db.query<{ n: number }>(sql)).rows[0]!.n;
        if (n > 0) pending.push(`${n} ${what}`);
      };
      // Upstream of everything: timers already due that the pump has not handed to the queue yet.
      await count(`SELECT count(*)::int AS n FROM timers WHERE status = 'pending' AND due_at <= now()`, 'due timer(s) not yet enqueued');
      let outboxRead = false;
      for (const queue of queues) {
        // The outbox comes after the timers queue (a firing writes it) and before all the others.
        if (queue.name !== 'timers' && !outboxRead) {
          await count(`SELECT count(*)::int AS n FROM outbox WHERE done_at IS NULL`, 'outbox event(s) not done');
          outboxRead = true;
        }
        const counts = await queue.getJobCounts(...PENDING_STATES);
        const busy = Object.entries(counts).filter(([, n]) => n > 0);
        if (busy.length > 0) pending.push(`queue ${queue.name}: ${busy.map(([state, n]) => `${n} ${state}`).join(', ')}`);
      }
      if (!outboxRead) await count(`SELECT count(*)::int AS n FROM outbox WHERE done_at IS NULL`, 'outbox event(s) not done');
      return { drained: pending.length === 0, pending };
    };

    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { drained, pending } = await snapshot();
      if (drained) return;
      if (Date.now() > deadline) {
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for the stack (queue prefix ${testEnv.queuePrefix}) to drain; still pending: ${pending.join('; ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await store.close();
    await db.end();
  }
}
