import { describe, expect, it } from '@jest/globals';
import { timerJobRecovery } from './recovery.js';

describe('timerJobRecovery', () => {
  it('adds again the job of an unfired timer that Redis lost', () => {
    expect(timerJobRecovery({ exists: false, failed: false })).toBe('lost');
  });

  it('replaces the job of an unfired timer that spent all its attempts (an outage longer than the retry budget)', () => {
    expect(timerJobRecovery({ exists: true, failed: true })).toBe('failed');
  });

  it('leaves a job that still waits, waits for a retry or runs', () => {
    expect(timerJobRecovery({ exists: true, failed: false })).toBe('live');
  });

  it('treats a failed-set entry whose job hash is gone (trimmed) as lost, so it is added, not removed first', () => {
    expect(timerJobRecovery({ exists: false, failed: true })).toBe('lost');
  });
});
