/** What Redis says of the job of a timer that is enqueued and past due. */
export interface TimerJobProbe {
  /** The job's hash exists (waiting, delayed, active, or failed and kept). */
  exists: boolean;
  /** The job is in the queue's failed set: it spent all its attempts. */
  failed: boolean;
}

/**
 * What the pump does with an enqueued, past-due timer's job. The timer row is the truth: while it
 * is not fired, its job must be able to run. A job Redis lost is added again (`lost`); a job that
 * failed for good (PostgreSQL down longer than the retry budget, say) is replaced by a fresh one
 * with all its attempts (`failed`), however long ago it failed; a job still waiting, delayed for
 * a retry or running is left alone (`live`).
 */
export function timerJobRecovery(probe: TimerJobProbe): 'lost' | 'failed' | 'live' {
  if (!probe.exists) return 'lost';
  return probe.failed ? 'failed' : 'live';
}
