/** What Redis says of the job, by its deterministic id, of a row that still wants it to run. */
export interface JobProbe {
  /** The job's hash exists (waiting, delayed, active, or failed and kept). */
  exists: boolean;
  /** The job is in the queue's failed set: it spent all its attempts. */
  failed: boolean;
}

/**
 * What a sweep does with the job of a row whose work is not done (an unfired timer, an event
 * whose effects are not written, an undelivered delivery, an unsent e-mail). The row is the
 * truth: while its work is not done, its job must be able to run. A job Redis lost is added
 * again (`lost`); a job that failed for good (PostgreSQL down longer than the retry budget, say)
 * is replaced by a fresh one with all its attempts (`failed`), however long ago it failed; a job
 * still waiting, delayed for a retry or running is left alone (`live`).
 */
export function jobRecovery(probe: JobProbe): 'lost' | 'failed' | 'live' {
  if (!probe.exists) return 'lost';
  return probe.failed ? 'failed' : 'live';
}
