import { describe, expect, it } from '@jest/globals';
import { trendMonths } from './trend.js';

const bj = (local: string) => new Date(`${local}+08:00`);

describe('trend months, in the bureau’s zone', () => {
  it('ends with the Beijing month of now: from 16:00 UTC on 30 November it is already December there', () => {
    const now = new Date('2026-11-30T16:00:00Z');
    const months = trendMonths(now, 12, 'Asia/Shanghai');
    expect(months.map((m) => m.month)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
    expect(months.at(-1)).toEqual({ month: '2026-12', from: bj('2026-12-01T00:00:00'), to: bj('2027-01-01T00:00:00'), overdueAt: now });
  });

  it('one second earlier (23:59:59 in Beijing) is still November, and the year turns back in the oldest months', () => {
    const now = new Date('2026-11-30T15:59:59Z');
    const months = trendMonths(now, 12, 'Asia/Shanghai');
    expect(months[0]).toEqual({ month: '2025-12', from: bj('2025-12-01T00:00:00'), to: bj('2026-01-01T00:00:00'), overdueAt: bj('2026-01-01T00:00:00') });
    expect(months.at(-1)).toEqual({ month: '2026-11', from: bj('2026-11-01T00:00:00'), to: bj('2026-12-01T00:00:00'), overdueAt: now });
  });

  it('on 1 January at 00:00:05 Beijing time (31 December in UTC) the current month is January and the one before December', () => {
    const now = bj('2026-01-01T00:00:05');
    const months = trendMonths(now, 2, 'Asia/Shanghai');
    expect(months).toEqual([
      { month: '2025-12', from: bj('2025-12-01T00:00:00'), to: bj('2026-01-01T00:00:00'), overdueAt: bj('2026-01-01T00:00:00') },
      { month: '2026-01', from: bj('2026-01-01T00:00:00'), to: bj('2026-02-01T00:00:00'), overdueAt: now },
    ]);
  });

  it('months follow each other without a gap, whatever their length (February of a leap year has 29 days)', () => {
    const months = trendMonths(bj('2028-03-15T12:00:00'), 24, 'Asia/Shanghai');
    for (let i = 1; i < months.length; i++) expect(months[i]!.from).toEqual(months[i - 1]!.to);
    const february = months.find((m) => m.month === '2028-02')!;
    expect(february.to.getTime() - february.from.getTime()).toBe(29 * 86_400_000);
    expect(months[0]!.month).toBe('2026-04');
  });
});
