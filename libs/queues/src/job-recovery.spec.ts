import { describe, expect, it } from '@jest/globals';
import { jobRecovery } from './job-recovery.js';

describe('jobRecovery', () => {
  it('adds again the job of an unfinished row that the queue lost', () => {
    expect(jobRecovery('unknown')).toBe('lost');
  });

  it('replaces the job of an unfinished row that spent all its attempts (an outage longer than the retry budget)', () => {
    expect(jobRecovery('failed')).toBe('failed');
  });

  it('leaves a job that still waits, waits for a retry, runs or has just completed', () => {
    for (const state of ['waiting', 'prioritized', 'delayed', 'active', 'completed', 'waiting-children'] as const) expect(jobRecovery(state)).toBe('live');
  });
});
