import { describe, expect, it } from '@jest/globals';
import { firstBrokenLink, headMismatch, nextLink, type StoredEntry } from './chain.js';

function chain(length: number): StoredEntry[] {
  const entries: StoredEntry[] = [];
  for (let i = 0; i < length; i++) {
    const head = entries.at(-1) ?? null;
    entries.push(
      nextLink(head, {
        taskId: '00000000-0000-0000-0000-000000000001',
        at: new Date(Date.UTC(2026, 0, 1, 0, i)),
        actorId: null,
        actorRole: 'system',
        action: `step-${i}`,
        fromState: null,
        toState: null,
        data: {},
        requestId: null,
      }),
    );
  }
  return entries;
}

describe('headMismatch: a chain against the head its task row records', () => {
  const whole = chain(3);
  const head = { seq: 3, hash: whole[2]!.hash };

  it('accepts a chain that ends at the head', () => {
    expect(headMismatch(whole, head)).toBeNull();
  });

  it('names the missing seq when the last entry was deleted (the links that remain still hold)', () => {
    const short = whole.slice(0, 2);
    expect(firstBrokenLink(short)).toBeNull();
    expect(headMismatch(short, head)).toBe(3);
  });

  it('names seq 1 when every entry was deleted', () => {
    expect(headMismatch([], head)).toBe(1);
  });

  it('names the last seq when the chain runs past the head', () => {
    expect(headMismatch(chain(4), head)).toBe(4);
  });

  it('names the last seq when the chain ends on another hash (a rewritten, rehashed tail)', () => {
    expect(headMismatch(whole, { seq: 3, hash: 'f'.repeat(64) })).toBe(3);
  });

  it('leaves a row without a head to its links alone', () => {
    expect(headMismatch(whole.slice(0, 1), { seq: 0, hash: null })).toBeNull();
  });
});
