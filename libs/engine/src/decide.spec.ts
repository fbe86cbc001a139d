import { describe, expect, it } from '@jest/globals';
import { HOTLINE_TICKET } from './builtin.js';
import { allowedActions, decide, limitOf } from './decide.js';

describe('decide', () => {
  it('allows an owner to accept a dispatched ticket', () => {
    expect(decide(HOTLINE_TICKET, 'dispatched', ['owner'], 'accept', {})).toMatchObject({ kind: 'allowed', from: 'dispatched', to: 'processing' });
  });

  it('refuses an action that does not exist in this state, listing what may be done', () => {
    expect(decide(HOTLINE_TICKET, 'dispatched', ['owner'], 'close', { comment: 'done' })).toEqual({
      kind: 'not-allowed',
      state: 'dispatched',
      allowedActions: ['accept', 'return'],
    });
  });

  it('forbids an action to roles the transition does not allow', () => {
    expect(decide(HOTLINE_TICKET, 'processing', ['owner'], 'extend', { dueAt: '2025-10-20T10:00:00+08:00', comment: 'x' })).toEqual({
      kind: 'forbidden',
      allowed: ['supervisor'],
    });
  });

  it('names the missing input as the request body spells it', () => {
    expect(decide(HOTLINE_TICKET, 'processing', ['supervisor'], 'extend', { comment: '需协调' })).toMatchObject({
      kind: 'missing-input',
      field: 'dueAt',
    });
    expect(decide(HOTLINE_TICKET, 'processing', ['owner'], 'close', { comment: '   ' })).toMatchObject({ kind: 'missing-input', field: 'comment' });
  });

  it('lists allowed actions per role', () => {
    expect(allowedActions(HOTLINE_TICKET, 'processing', ['owner'])).toEqual(['suspend', 'request-extension', 'close']);
    expect(allowedActions(HOTLINE_TICKET, 'processing', ['supervisor'])).toEqual(['extend']);
    expect(allowedActions(HOTLINE_TICKET, 'closed', ['owner'])).toEqual([]);
  });

  it('reopens a ticket when the citizen is unsatisfied (重办), and keeps it closed otherwise', () => {
    expect(decide(HOTLINE_TICKET, 'closed', ['supervisor'], 'rate', { rating: 'unsatisfied' })).toMatchObject({ kind: 'allowed', to: 'processing' });
    expect(decide(HOTLINE_TICKET, 'closed', ['supervisor'], 'rate', { rating: 'basically_satisfied' })).toMatchObject({ kind: 'allowed', to: 'closed' });
    expect(decide(HOTLINE_TICKET, 'closed', ['owner'], 'rate', { rating: 'satisfied' })).toMatchObject({ kind: 'forbidden' });
  });

  it('lets a ticket ask for one extension only', () => {
    expect(limitOf(HOTLINE_TICKET, 'processing', 'request-extension')).toBe(1);
    expect(limitOf(HOTLINE_TICKET, 'processing', 'close')).toBeUndefined();
    expect(decide(HOTLINE_TICKET, 'processing', ['owner'], 'request-extension', { comment: '需协调' }, 0)).toMatchObject({
      kind: 'allowed',
      to: 'extension-requested',
    });
    expect(decide(HOTLINE_TICKET, 'processing', ['owner'], 'request-extension', { comment: '再延一次' }, 1)).toEqual({
      kind: 'limit-reached',
      limit: 1,
      allowedActions: ['suspend', 'close'],
    });
  });
});
