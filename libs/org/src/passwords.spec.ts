import { describe, expect, it } from '@jest/globals';
import { hashPassword, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('are stored as argon2id hashes that verify only the right password', async () => {
    const stored = await hashPassword('正确的密码 horse');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored, '正确的密码 horse')).toBe(true);
    expect(await verifyPassword(stored, '正确的密码 horse ')).toBe(false);
  });

  it('refuse an unknown user after doing the same hashing work', async () => {
    const started = performance.now();
    expect(await verifyPassword(null, 'anything')).toBe(false);
    // A real argon2 verification ran: far slower than an early return would be.
    expect(performance.now() - started).toBeGreaterThan(5);
  });
});
