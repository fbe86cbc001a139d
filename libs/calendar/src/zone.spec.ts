import { describe, expect, it } from '@jest/globals';
import { periodBound } from './zone.js';

describe('periodBound: a period as a query gives it', () => {
  it('reads a date as the local day in the zone: 2025-10-01 in Asia/Shanghai begins at 2025-09-30T16:00Z', () => {
    expect(periodBound('2025-10-01', 'Asia/Shanghai').toISOString()).toBe('2025-09-30T16:00:00.000Z');
    // As an end, the day itself included: the next day's start.
    expect(periodBound('2025-10-31', 'Asia/Shanghai', true).toISOString()).toBe('2025-10-31T16:00:00.000Z');
    expect(periodBound('2025-12-31', 'Asia/Shanghai', true).toISOString()).toBe('2025-12-31T16:00:00.000Z');
  });

  it('takes an instant with its offset as it says, start or end', () => {
    expect(periodBound('2025-11-01T00:00:00+08:00', 'Asia/Shanghai', true).toISOString()).toBe('2025-10-31T16:00:00.000Z');
    expect(periodBound('2025-10-01T00:00:00Z', 'Asia/Shanghai').toISOString()).toBe('2025-10-01T00:00:00.000Z');
  });
});
