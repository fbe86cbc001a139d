import { describe, expect, it } from '@jest/globals';
import { sessionVerdict } from './sessions.js';

describe('sessionVerdict', () => {
  const live = { tokenVersion: 3, disabled: false };

  it('accepts a token of the current version', () => expect(sessionVerdict(3, live)).toBe('ok'));
  it('refuses a token of an older version', () => expect(sessionVerdict(2, live)).toBe('ended'));
  it('refuses a token claiming a newer version', () => expect(sessionVerdict(4, live)).toBe('ended'));
  it('refuses a version that is not a number', () => expect(sessionVerdict('3', live)).toBe('ended'));
  it('counts a token without a version as version 0', () => {
    expect(sessionVerdict(undefined, { tokenVersion: 0, disabled: false })).toBe('ok');
    expect(sessionVerdict(undefined, live)).toBe('ended');
  });
  it('refuses every token of a disabled user, even of the current version', () =>
    expect(sessionVerdict(3, { tokenVersion: 3, disabled: true })).toBe('disabled'));
  it('refuses a token of a user who no longer exists', () => expect(sessionVerdict(0, null)).toBe('unknown-user'));
});
