import { describe, expect, it } from '@jest/globals';
import { Coalescer } from './coalescer.js';

const deferred = () => {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
};

describe('Coalescer', () => {
  it('runs a lone call at once and gathers the calls that arrive while it runs into one batch', async () => {
    const gate = deferred();
    const runs: number[][] = [];
    const coalescer = new Coalescer<number, string>(
      async (keys) => {
        runs.push(keys);
        if (runs.length === 1) await gate.promise;
        return new Map(keys.map((k) => [k, `v${k}`]));
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const first = coalescer.call(1);
    const rest = [2, 3, 4].map((k) => coalescer.call(k));
    gate.release();
    expect(await first).toBe('v1');
    expect(await Promise.all(rest)).toEqual(['v2', 'v3', 'v4']);
    expect(runs).toEqual([[1], [2, 3, 4]]);
  });

  it('never puts more than maxBatch keys in a run nor runs more than maxInFlight at once', async () => {
    let running = 0;
    let peak = 0;
    const sizes: number[] = [];
    const coalescer = new Coalescer<number, number>(
      async (keys) => {
        running++;
        peak = Math.max(peak, running);
        sizes.push(keys.length);
        await new Promise((r) => setImmediate(r));
        running--;
        return new Map(keys.map((k) => [k, k * 2]));
      },
      { maxBatch: 7, maxInFlight: 2 },
    );
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => coalescer.call(i)));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
    expect(peak).toBe(2);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(50);
  });

  it('fails only the call whose key breaks the batch', async () => {
    const gate = deferred();
    let first = true;
    const coalescer = new Coalescer<string, string>(
      async (keys) => {
        if (first) {
          first = false;
          await gate.promise;
        }
        if (keys.includes('bad')) throw new Error('bad key');
        return new Map(keys.map((k) => [k, k.toUpperCase()]));
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const lead = coalescer.call('a');
    const calls = ['b', 'bad', 'c'].map((k) =>
      coalescer.call(k).then(
        (v) => ({ ok: v }),
        (e: Error) => ({ error: e.message }),
      ),
    );
    gate.release();
    await lead;
    expect(await Promise.all(calls)).toEqual([{ ok: 'B' }, { error: 'bad key' }, { ok: 'C' }]);
  });
});
