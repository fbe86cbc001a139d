import { describe, expect, it } from '@jest/globals';
import { sessionEndingConditions } from './users.service.js';

describe('sessionEndingConditions', () => {
  it('ends sessions whenever a password is set', () =>
    expect(sessionEndingConditions([{ column: 'password_hash', param: '$2', rule: 'ends' }])).toEqual(['true']));
  it('ends sessions when roles, department or disabled change, comparing the old value with the new', () =>
    expect(
      sessionEndingConditions([
        { column: 'roles', param: '$2', rule: 'ends-if-changed' },
        { column: 'department_id', param: '$3', rule: 'ends-if-changed' },
      ]),
    ).toEqual(['roles IS DISTINCT FROM $2', 'department_id IS DISTINCT FROM $3']));
  it('keeps sessions for a display name or e-mail change', () =>
    expect(
      sessionEndingConditions([
        { column: 'display_name', param: '$2', rule: 'keeps' },
        { column: 'email', param: '$3', rule: 'keeps' },
      ]),
    ).toEqual([]));
});
