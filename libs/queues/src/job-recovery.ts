import type { JobState } from 'bullmq';

/**
 * What a sweep does with the job of a row whose work is not done (an unfired timer, an event
 * whose effects are not written, an undelivered delivery, an unsent e-mail), given the job's
 * state as the queue reports it by its deterministic id (Queue.getJobState, on Redis and on
 * PostgreSQL alike). The row is the truth: while its work is not done, its job must be able to
 * run. A job the queue does not know (Redis lost its data, the bullmq schema was emptied) is
 * added again (`lost`); a job that failed for good (PostgreSQL down longer than the retry budget,
 * say) is replaced by a fresh one with all its attempts (`failed`), however long ago it failed; a
 * job still waiting, delayed for a retry, running, or completed a moment ago while its row's
 * transaction commits is left alone (`live`).
 */
export function jobRecovery(state: JobState | 'unknown'): 'lost' | 'failed' | 'live' {
  if (state === 'unknown') return 'lost';
  return state === 'failed' ? 'failed' : 'live';
}
