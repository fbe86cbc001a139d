import { describe, expect, it } from '@jest/globals';
import { timerIdsOf, timerJobId } from './timers.queue.js';

describe('timer jobs', () => {
  it('name a timer alone as before groups, tm-<timer id>', () => {
    expect(timerJobId(['3f0c'])).toBe('tm-3f0c');
  });

  it('name a group by its first timer, how many follow and all its ids: the same group one job, another group another', () => {
    const id = timerJobId(['a', 'b', 'c']);
    expect(id).toMatch(/^tm-a\+2\.[0-9a-f]{16}$/);
    expect(timerJobId(['a', 'b', 'c'])).toBe(id);
    // Formed again with a timer more (after a pump pass that rolled back): not the job queued before.
    expect(timerJobId(['a', 'b', 'c', 'd'])).not.toBe(id);
    expect(timerJobId(['a', 'c'])).not.toBe(timerJobId(['a', 'b']));
  });

  it('read the timers of a job added before groups, which carries one timerId', () => {
    expect(timerIdsOf({ timerId: 'x' })).toEqual(['x']);
    expect(timerIdsOf({ timerIds: ['x', 'y'] })).toEqual(['x', 'y']);
  });
});
