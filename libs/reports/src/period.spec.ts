import { describe, expect, it } from '@jest/globals';
import { periodLabel } from './bulletin.js';
import { previousMonth } from './reports.service.js';

const bj = (local: string) => new Date(`${local}+08:00`);

describe('bulletin periods, in the bureau’s zone', () => {
  it('takes the month before the run: on 1 January at 00:00:05 Beijing time (still 31 December in UTC), December of the year before', () => {
    expect(previousMonth(bj('2026-01-01T00:00:05'), 'Asia/Shanghai')).toEqual({ from: bj('2025-12-01T00:00:00'), to: bj('2026-01-01T00:00:00') });
    expect(previousMonth(bj('2025-03-31T23:59:59'), 'Asia/Shanghai')).toEqual({ from: bj('2025-02-01T00:00:00'), to: bj('2025-03-01T00:00:00') });
  });

  it('names a month, a year, or the days from and to (the end day included)', () => {
    expect(periodLabel(bj('2025-10-01T00:00:00'), bj('2025-11-01T00:00:00'), 'Asia/Shanghai')).toBe('2025年10月');
    expect(periodLabel(bj('2025-01-01T00:00:00'), bj('2026-01-01T00:00:00'), 'Asia/Shanghai')).toBe('2025年');
    expect(periodLabel(bj('2025-01-01T00:00:00'), bj('2025-07-01T00:00:00'), 'Asia/Shanghai')).toBe('2025年1月1日至2025年6月30日');
    // Midnight in UTC is 08:00 in Beijing: not a whole month there.
    expect(periodLabel(new Date('2025-10-01T00:00:00Z'), new Date('2025-11-01T00:00:00Z'), 'Asia/Shanghai')).toBe('2025年10月1日至2025年11月1日');
  });
});
