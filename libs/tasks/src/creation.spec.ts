import { describe, expect, it } from '@jest/globals';
import { checkNewDueAt } from './creation.js';
import { DueAtInPastError } from './errors.js';

describe('checkNewDueAt', () => {
  const now = new Date('2025-10-20T09:00:00.000Z');

  it('refuses a due date before now, naming dueAt', () => {
    let thrown: unknown;
    try {
      checkNewDueAt(new Date(now.getTime() - 1), now);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DueAtInPastError);
    expect((thrown as DueAtInPastError).extensions.errors).toEqual([{ path: 'dueAt', message: expect.stringMatching(/^截止时间已过/) }]);
  });

  it('takes now itself, a later date, and no date (the workflow decides)', () => {
    expect(() => checkNewDueAt(now, now)).not.toThrow();
    expect(() => checkNewDueAt(new Date(now.getTime() + 1), now)).not.toThrow();
    expect(() => checkNewDueAt(undefined, now)).not.toThrow();
  });
});
