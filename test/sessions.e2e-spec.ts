import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { login } from './support/org-fixture.js';
import { startStack, stopStack, type Stack } from './support/stack.js';

const PASSWORD = 'password-123';

/** Ends of a server-sent event stream: every event read, and a promise settled when the server closes it. */
interface OpenStream {
  events: { event?: string; data?: string }[];
  closed: Promise<void>;
  abort: () => void;
}

async function openStream(url: string, bearer: string): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(`${url}/api/v1/me/notifications/stream?access_token=${bearer.replace('Bearer ', '')}`, { signal: abort.signal });
  if (res.status !== 200) throw new Error(`stream: ${res.status}`);
  const events: OpenStream['events'] = [];
  const reader = res.body!.getReader();
  const closed = (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += new TextDecoder().decode(value);
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const e: { event?: string; data?: string } = {};
        for (const line of buffer.slice(0, cut).split('\n')) {
          const [k, ...rest] = line.split(':');
          if (k === 'event') e.event = rest.join(':').trim();
          if (k === 'data') e.data = rest.join(':').trim();
        }
        events.push(e);
        buffer = buffer.slice(cut + 2);
      }
    }
  })();
  return { events, closed, abort: () => abort.abort() };
}

/** Settles with the stream's end, or fails after `ms` (well under the 15 s heartbeat that would also end it). */
function endsWithin(stream: OpenStream, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the stream was still open after ${ms} ms`)), ms)));
  return Promise.race([stream.closed, timeout]).finally(() => clearTimeout(timer));
}

/** An HS256 token signed as the api signs them, for claims the api itself would not issue. */
function signToken(secret: string, claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: 'duban', iat: Math.floor(Date.now() / 1000), ...claims })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('sessions: ending tokens, disabled users, own password changes, login limits', () => {
  let stack: Stack;
  let seq = 0;
  const http = () => request(stack.api.url);
  const admin = () => stack.org.token.admin;

  /** A fresh user of this test (lead in O1 unless told), logged in once. */
  async function newUser(roles: string[] = ['lead'], departmentId?: string): Promise<{ id: string; username: string; token: string }> {
    const username = `sess-${++seq}`;
    const res = await http()
      .post('/api/v1/users')
      .set('Authorization', admin())
      .send({ username, displayName: username, departmentId: departmentId ?? stack.org.dept.O1, roles, password: PASSWORD })
      .expect(201);
    return { id: res.body.id as string, username, token: await login(stack.api.url, username, PASSWORD) };
  }

  const me = (token: string) => http().get('/api/v1/me').set('Authorization', token);
  const patchUser = (id: string, body: object) => http().patch(`/api/v1/users/${id}`).set('Authorization', admin()).send(body).expect(200);
  const loginFrom = (address: string, username: string, password: string) =>
    http().post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ username, password });

  beforeAll(async () => {
    // The tests speak for several client addresses through X-Forwarded-For from loopback.
    stack = await startStack({ LOGIN_RATE_LIMIT: '10', LOGIN_RATE_WINDOW_MS: '60000', TRUST_PROXY: 'loopback' });
  });

  afterAll(async () => {
    await stopStack(stack);
  });

  describe('ending tokens', () => {
    it('refuses the old token on the very next request after an admin sets a password', async () => {
      const user = await newUser();
      await me(user.token).expect(200);
      await patchUser(user.id, { password: 'new-password-1' });
      const refused = await me(user.token).expect(401);
      expect(refused.body.type).toBe('urn:duban:problem:session-ended');
      await me(await login(stack.api.url, user.username, 'new-password-1')).expect(200);
    });

    it('refuses the old token on the very next request after a role change', async () => {
      const user = await newUser(['lead']);
      await patchUser(user.id, { roles: ['handler'] });
      await me(user.token).expect(401);
      const fresh = await login(stack.api.url, user.username, PASSWORD);
      expect((await me(fresh).expect(200)).body.roles).toEqual(['handler']);
    });

    it('refuses the old token on the very next request after a department change', async () => {
      const user = await newUser(['handler'], stack.org.dept.O1);
      await patchUser(user.id, { departmentId: stack.org.dept.O2 });
      await me(user.token).expect(401);
    });

    it('keeps the tokens when nothing that grants access changes (display name, e-mail, the same roles)', async () => {
      const user = await newUser(['lead']);
      await patchUser(user.id, { displayName: '改名', email: 'x@example.gov.cn', roles: ['lead'], departmentId: stack.org.dept.O1 });
      await me(user.token).expect(200);
    });

    it('accepts a token from before versions existed while the user has not changed, and refuses it after', async () => {
      const user = await newUser();
      const claims = { sub: user.id, username: user.username, dept: stack.org.dept.O1, roles: ['lead'], exp: Math.floor(Date.now() / 1000) + 600 };
      const legacy = `Bearer ${signToken(stack.testEnv.env.JWT_SECRET!, claims)}`;
      await me(legacy).expect(200);
      await patchUser(user.id, { roles: ['handler'] });
      await me(legacy).expect(401);
    });

    it('answers 401, not 500, for a token whose subject is not a user id', async () => {
      const token = signToken(stack.testEnv.env.JWT_SECRET!, { sub: 'not-a-uuid', exp: Math.floor(Date.now() / 1000) + 600 });
      await me(`Bearer ${token}`).expect(401);
      const noSub = signToken(stack.testEnv.env.JWT_SECRET!, { exp: Math.floor(Date.now() / 1000) + 600 });
      await me(`Bearer ${noSub}`).expect(401);
    });
  });

  describe('disabled users', () => {
    it('refuses a disabled user’s tokens and logins, and lets it log in again once enabled', async () => {
      const user = await newUser();
      const before = await login(stack.api.url, user.username, PASSWORD);
      const shown = (await patchUser(user.id, { disabled: true })).body;
      expect(shown.disabled).toBe(true);

      const refused = await me(user.token).expect(401);
      expect(refused.body.type).toBe('urn:duban:problem:account-disabled');
      await me(before).expect(401);
      const right = await http().post('/api/v1/auth/login').send({ username: user.username, password: PASSWORD }).expect(401);
      expect(right.body.type).toBe('urn:duban:problem:account-disabled');
      // With a wrong password a disabled account answers like any other: nothing learnt without the password.
      const wrong = await http().post('/api/v1/auth/login').send({ username: user.username, password: 'wrong-password' }).expect(401);
      expect(wrong.body.type).not.toBe('urn:duban:problem:account-disabled');

      await patchUser(user.id, { disabled: false });
      await me(await login(stack.api.url, user.username, PASSWORD)).expect(200);
      // Enabling the user again does not revive the tokens that disabling ended.
      await me(user.token).expect(401);
    });

    it('shows `disabled` to admins only', async () => {
      const user = await newUser();
      expect((await http().get(`/api/v1/users/${user.id}`).set('Authorization', admin()).expect(200)).body.disabled).toBe(false);
      const colleague = await http().get(`/api/v1/users/${user.id}`).set('Authorization', stack.org.token.lead).expect(200);
      expect(colleague.body).not.toHaveProperty('disabled');
    });

    it('does not let an admin disable itself', async () => {
      const self = (await me(admin()).expect(200)).body.id as string;
      const res = await http().patch(`/api/v1/users/${self}`).set('Authorization', admin()).send({ disabled: true }).expect(400);
      expect(res.body.errors[0].path).toBe('disabled');
    });
  });

  describe('POST /me/password', () => {
    it('answers 400 naming currentPassword when it is wrong, and changes nothing', async () => {
      const user = await newUser();
      const res = await http()
        .post('/api/v1/me/password')
        .set('Authorization', user.token)
        .send({ currentPassword: 'not-it-at-all', newPassword: 'brand-new-pass' })
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'currentPassword' })]);
      await me(user.token).expect(200);
      await login(stack.api.url, user.username, PASSWORD);
    });

    it('answers a fresh token for this session and ends every other one', async () => {
      const user = await newUser();
      const other = await login(stack.api.url, user.username, PASSWORD);
      const res = await http()
        .post('/api/v1/me/password')
        .set('Authorization', user.token)
        .send({ currentPassword: PASSWORD, newPassword: 'brand-new-pass' })
        .expect(200);
      expect(res.body).toMatchObject({ accessToken: expect.any(String), expiresIn: expect.any(Number), user: { id: user.id } });
      await me(`Bearer ${res.body.accessToken}`).expect(200);
      await me(user.token).expect(401);
      await me(other).expect(401);
      await http().post('/api/v1/auth/login').send({ username: user.username, password: PASSWORD }).expect(401);
      await login(stack.api.url, user.username, 'brand-new-pass');
    });

    it('refuses a new password shorter than 8 characters', async () => {
      const user = await newUser();
      const res = await http()
        .post('/api/v1/me/password')
        .set('Authorization', user.token)
        .send({ currentPassword: PASSWORD, newPassword: 'short' })
        .expect(400);
      expect(res.body.errors[0].path).toBe('newPassword');
    });
  });

  describe('event streams', () => {
    it('closes an open stream as soon as the user is disabled', async () => {
      const user = await newUser();
      const stream = await openStream(stack.api.url, user.token);
      try {
        await patchUser(user.id, { disabled: true });
        await endsWithin(stream, 5000);
        expect(stream.events.find((e) => e.event === 'session-ended')?.data).toBe(JSON.stringify({ reason: 'disabled' }));
      } finally {
        stream.abort();
      }
    });

    it('closes an open stream as soon as the user changes its password elsewhere', async () => {
      const user = await newUser();
      const stream = await openStream(stack.api.url, user.token);
      try {
        const other = await login(stack.api.url, user.username, PASSWORD);
        await http().post('/api/v1/me/password').set('Authorization', other).send({ currentPassword: PASSWORD, newPassword: 'brand-new-pass' }).expect(200);
        await endsWithin(stream, 5000);
        expect(stream.events.find((e) => e.event === 'session-ended')?.data).toBe(JSON.stringify({ reason: 'ended' }));
      } finally {
        stream.abort();
      }
    });

    it('closes an open stream when its token expires', async () => {
      const user = await newUser();
      const claims = { sub: user.id, username: user.username, dept: stack.org.dept.O1, roles: ['lead'], ver: 0, exp: Math.floor(Date.now() / 1000) + 2 };
      const stream = await openStream(stack.api.url, `Bearer ${signToken(stack.testEnv.env.JWT_SECRET!, claims)}`);
      try {
        await endsWithin(stream, 6000);
        expect(stream.events.find((e) => e.event === 'session-ended')?.data).toBe(JSON.stringify({ reason: 'expired' }));
      } finally {
        stream.abort();
      }
    });
  });

  describe('login limits', () => {
    it('answers 429 to the 11th failed login over 11 different usernames from one address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await loginFrom('203.0.113.11', `nobody-${i}`, 'Summer2026!')).status);
      expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
      // The address is blocked for every name, right passwords included; another address is not.
      const user = await newUser();
      await loginFrom('203.0.113.11', user.username, PASSWORD).expect(429);
      await loginFrom('203.0.113.12', user.username, PASSWORD).expect(200);
    });

    it('does not count successful logins', async () => {
      const user = await newUser();
      for (let i = 0; i < 15; i++) await loginFrom('203.0.113.21', user.username, PASSWORD).expect(200);
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await loginFrom('203.0.113.21', user.username, `guess-${i}`)).status);
      expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
    });

    it('counts wrong current passwords at POST /me/password as failed logins', async () => {
      const user = await newUser();
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        const res = await http()
          .post('/api/v1/me/password')
          .set('X-Forwarded-For', '203.0.113.31')
          .set('Authorization', user.token)
          .send({ currentPassword: `guess-${i}`, newPassword: 'brand-new-pass' });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([...Array<number>(10).fill(400), 429]);
    });
  });
});
