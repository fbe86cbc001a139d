import { describe, expect, it } from '@jest/globals';
import type { Logger } from '@nestjs/common';
import { Rounds } from './rounds.js';

const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 1));
};

describe('Rounds', () => {
  it('never overlaps two rounds, goes on after a failed one (logged), and stop waits for the round under way', async () => {
    const warnings: string[] = [];
    let active = 0;
    let most = 0;
    let ran = 0;
    let release!: () => void;
    const rounds = new Rounds('test duty', { warn: (m: string) => warnings.push(m) } as unknown as Logger, async () => {
      ran++;
      active++;
      most = Math.max(most, active);
      if (ran === 2) {
        active--;
        throw new Error('database away');
      }
      if (ran === 4) await new Promise<void>((resolve) => (release = resolve));
      active--;
    });
    rounds.start(1);
    await until(() => ran === 4);
    let stopped = false;
    const stopping = rounds.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(stopped).toBe(false);
    release();
    await stopping;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect({ ran, most, warnings }).toEqual({ ran: 4, most: 1, warnings: ['test duty: database away'] });
  });

  it('waits for the first interval when asked to', async () => {
    let ran = 0;
    const rounds = new Rounds('late', { warn: () => undefined } as unknown as Logger, async () => void ran++);
    rounds.start(1_000, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toBe(0);
    await rounds.stop();
  });
});
