import { describe, expect, it } from '@jest/globals';
import { jobRecovery } from './job-recovery.js';

describe('jobRecovery', () => {
  it('adds again the job of an unfinished row that Redis lost', () => {
    expect(jobRecovery({ exists: false, failed: false })).toBe('lost');
  });

  it('replaces the job of an unfinished row that spent all its attempts (an outage longer than the retry budget)', () => {
    expect(jobRecovery({ exists: true, failed: true })).toBe('failed');
  });

  it('leaves a job that still waits, waits for a retry or runs', () => {
    expect(jobRecovery({ exists: true, failed: false })).toBe('live');
  });

  it('treats a failed-set entry whose job hash is gone (trimmed) as lost, so it is added, not removed first', () => {
    expect(jobRecovery({ exists: false, failed: true })).toBe('lost');
  });
});
