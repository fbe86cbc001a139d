import { describe, expect, it } from '@jest/globals';
import { userViewFor, type UserView } from './users.service.js';

const wang: UserView = { id: 'u-wang', username: 'wang', displayName: '王', departmentId: 'O1', roles: ['lead'], email: 'wang@example.gov.cn' };

describe('the user directory as each reader sees it', () => {
  it('hides a colleague’s e-mail from a non-admin: the field is absent, not null', () => {
    const seen = userViewFor({ id: 'u-li', roles: ['supervisor'] }, wang);
    expect(seen).toEqual({ id: 'u-wang', username: 'wang', displayName: '王', departmentId: 'O1', roles: ['lead'] });
    expect('email' in seen).toBe(false);
  });

  it('shows users their own e-mail, and admins everyone’s', () => {
    expect(userViewFor({ id: 'u-wang', roles: ['lead'] }, wang)).toEqual(wang);
    expect(userViewFor({ id: 'u-admin', roles: ['admin'] }, wang)).toEqual(wang);
  });
});
