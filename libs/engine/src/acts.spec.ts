import { describe, expect, it } from '@jest/globals';
import { builtInActsAllowed, decideAct, higherCard, URGE_COOLDOWN_MS } from './acts.js';

const now = new Date('2023-12-29T10:00:00+08:00');
const open = { open: true, card: null, now } as const;
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

describe('decideAct', () => {
  it('lets a supervisor, the creator and an admin urge an open task, with a comment', () => {
    for (const role of ['supervisor', 'creator', 'admin'] as const) {
      expect(decideAct('urge', [role], { comment: '请加快办理' }, open)).toEqual({ kind: 'allowed', act: 'urge' });
    }
  });

  it('forbids the owners to urge their own task, and anyone but an admin to withdraw a card', () => {
    expect(decideAct('urge', ['owner', 'assignee'], { comment: '催' }, open)).toEqual({ kind: 'forbidden', allowed: ['supervisor', 'creator', 'admin'] });
    expect(decideAct('card', ['creator'], { card: 'yellow', comment: '逾期' }, open)).toEqual({ kind: 'forbidden', allowed: ['supervisor', 'admin'] });
    expect(decideAct('withdraw-card', ['supervisor'], { comment: '误亮' }, { ...open, card: 'yellow' })).toEqual({ kind: 'forbidden', allowed: ['admin'] });
  });

  it('refuses every act on a closed task before anything else', () => {
    expect(decideAct('urge', ['owner'], {}, { ...open, open: false })).toEqual({ kind: 'not-open' });
    expect(decideAct('card', ['admin'], { card: 'red', comment: 'x' }, { ...open, open: false })).toEqual({ kind: 'not-open' });
  });

  it('refuses a second urge by the same user within 10 minutes, saying when the next one is possible', () => {
    const lastUrgeAt = minutesAgo(3);
    expect(decideAct('urge', ['supervisor'], { comment: '再催' }, { ...open, lastUrgeAt })).toEqual({
      kind: 'urged-recently',
      lastUrgeAt,
      nextAt: new Date(lastUrgeAt.getTime() + URGE_COOLDOWN_MS),
    });
    // Said before the missing comment: nobody should fill in a form to hear it.
    expect(decideAct('urge', ['supervisor'], {}, { ...open, lastUrgeAt })).toMatchObject({ kind: 'urged-recently' });
    expect(decideAct('urge', ['supervisor'], { comment: '再催' }, { ...open, lastUrgeAt: minutesAgo(10) })).toEqual({ kind: 'allowed', act: 'urge' });
  });

  it('names the missing or wrong input', () => {
    expect(decideAct('urge', ['admin'], { comment: '  ' }, open)).toEqual({ kind: 'missing-input', field: 'comment' });
    expect(decideAct('card', ['admin'], { comment: '逾期' }, open)).toEqual({ kind: 'missing-input', field: 'card' });
    expect(decideAct('card', ['admin'], { card: 'green', comment: '逾期' }, open)).toEqual({ kind: 'invalid-card', value: 'green' });
    expect(decideAct('card', ['admin'], { card: 'red' }, open)).toEqual({ kind: 'missing-input', field: 'comment' });
  });

  it('raises a card only: yellow then red, never the same again or down', () => {
    expect(decideAct('card', ['supervisor'], { card: 'yellow', comment: '逾期' }, open)).toEqual({ kind: 'allowed', act: 'card', card: 'yellow' });
    expect(decideAct('card', ['supervisor'], { card: 'red', comment: '严重逾期' }, { ...open, card: 'yellow' })).toEqual({
      kind: 'allowed',
      act: 'card',
      card: 'red',
    });
    expect(decideAct('card', ['supervisor'], { card: 'yellow', comment: 'x' }, { ...open, card: 'yellow' })).toEqual({
      kind: 'card-not-higher',
      current: 'yellow',
      asked: 'yellow',
    });
    expect(decideAct('card', ['supervisor'], { card: 'yellow', comment: 'x' }, { ...open, card: 'red' })).toMatchObject({ kind: 'card-not-higher' });
  });

  it('withdraws only a card that is there', () => {
    expect(decideAct('withdraw-card', ['admin'], { comment: '误亮' }, open)).toEqual({ kind: 'no-card' });
    expect(decideAct('withdraw-card', ['admin'], { comment: '误亮' }, { ...open, card: 'red' })).toEqual({ kind: 'allowed', act: 'withdraw-card' });
  });
});

describe('builtInActsAllowed', () => {
  it('lists the acts each role may take on an open task', () => {
    expect(builtInActsAllowed(['owner'], open)).toEqual([]);
    expect(builtInActsAllowed(['creator'], open)).toEqual(['urge']);
    expect(builtInActsAllowed(['supervisor'], open)).toEqual(['urge', 'card']);
    expect(builtInActsAllowed(['admin'], open)).toEqual(['urge', 'card']);
    expect(builtInActsAllowed(['admin'], { open: true, card: 'yellow' })).toEqual(['urge', 'card', 'withdraw-card']);
    expect(builtInActsAllowed(['supervisor'], { open: true, card: 'red' })).toEqual(['urge']);
  });

  it('lists none on a closed task', () => {
    expect(builtInActsAllowed(['admin', 'supervisor'], { open: false, card: 'red' })).toEqual([]);
  });
});

describe('higherCard', () => {
  it('keeps the higher of two cards', () => {
    expect(higherCard(null, 'yellow')).toBe('yellow');
    expect(higherCard('red', 'yellow')).toBe('red');
    expect(higherCard('yellow', null)).toBe('yellow');
    expect(higherCard(null, null)).toBeNull();
  });
});
