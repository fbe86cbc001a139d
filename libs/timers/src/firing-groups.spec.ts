import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type DueTimer, firingGroups } from './firing-groups.js';

const timers = (...delays: number[]): DueTimer[] => delays.map((delayMs, i) => ({ id: `t${i}`, delayMs }));

describe('firingGroups', () => {
  it('makes a burst due at once into jobs of 64 timers, each due at once', () => {
    const groups = firingGroups(timers(...Array<number>(130).fill(0)));
    expect(groups.map((g) => [g.timerIds.length, g.delayMs])).toEqual([
      [64, 0],
      [64, 0],
      [2, 0],
    ]);
  });

  it('puts timers due 40 ms apart or less in one job, delayed until the last is due; a later one starts the next', () => {
    expect(firingGroups(timers(100, 120, 140, 141, 500))).toEqual([
      { timerIds: ['t0', 't1', 't2'], delayMs: 140 },
      { timerIds: ['t3'], delayMs: 141 },
      { timerIds: ['t4'], delayMs: 500 },
    ]);
  });

  it('gives no job for no timers', () => {
    expect(firingGroups([])).toEqual([]);
  });

  it('keeps every timer once and in order, fires none early, none more than 40 ms late for its group, and no job over 64', () => {
    const sorted = fc.array(fc.integer({ min: 0, max: 120_000 }), { maxLength: 400 }).map((d) => [...d].sort((a, b) => a - b));
    fc.assert(
      fc.property(sorted, (delays) => {
        const due = timers(...delays);
        const groups = firingGroups(due);
        expect(groups.flatMap((g) => g.timerIds)).toEqual(due.map((t) => t.id));
        for (const g of groups) {
          const own = g.timerIds.map((id) => due.find((t) => t.id === id)!.delayMs);
          expect(g.timerIds.length).toBeLessThanOrEqual(64);
          expect(g.delayMs).toBe(Math.max(...own));
          expect(g.delayMs - Math.min(...own)).toBeLessThanOrEqual(40);
        }
      }),
    );
  });
});
