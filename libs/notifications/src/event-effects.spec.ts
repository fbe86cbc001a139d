import { describe, expect, it } from '@jest/globals';
import { EVENT_EFFECTS, EVENTS, effectsOf, hasEffectsSql } from './event-effects.js';

describe('event effects', () => {
  it('declares every event of API.md once, in its order', () => {
    expect(EVENTS).toEqual([
      'task.created',
      'task.assigned',
      'task.transitioned',
      'task.reminder',
      'task.overdue',
      'task.escalated',
      'task.sla_breached',
      'task.closed',
      'task.progress_requested',
      'task.callback_due',
      'task.co_opinion_due',
      'task.co_opinion_late',
      'task.urged',
      'task.carded',
      'task.card_withdrawn',
      'task.withdrawn',
      'task.revised',
    ]);
  });

  it('tells the owners of a new task, the next actors of a transition and the owners of an urged or carded task, by e-mail too', () => {
    expect(EVENTS.filter((e) => EVENT_EFFECTS[e].notice)).toEqual([
      'task.created',
      'task.transitioned',
      'task.urged',
      'task.carded',
      'task.withdrawn',
      'task.revised',
    ]);
    expect(EVENT_EFFECTS['task.created'].notice).toEqual({ kind: 'assigned', roles: ['owner'], email: true });
    expect(EVENT_EFFECTS['task.transitioned'].notice).toEqual({ kind: 'action', roles: 'next', email: true });
    expect(EVENTS.every((e) => EVENT_EFFECTS[e].webhooks)).toBe(true);
  });

  it('tells the owners and the assignee of an urge, and the supervisors too of a card by hand, not the actor', () => {
    expect(EVENT_EFFECTS['task.urged'].notice).toEqual({ kind: 'urged', roles: ['owner', 'assignee'], email: true, act: true });
    expect(EVENT_EFFECTS['task.carded'].notice).toEqual({ kind: 'carded', roles: ['owner', 'assignee', 'supervisor'], email: true, act: true });
    expect(EVENT_EFFECTS['task.card_withdrawn'].notice).toBeNull();
  });

  it('sends an event this build does not know to its subscribers only', () => {
    expect(effectsOf('task.renamed')).toEqual({ notice: null, webhooks: true });
    expect(effectsOf('toString')).toEqual({ notice: null, webhooks: true });
  });

  it("gives the relay the table's notice events and unheard events as parameters", () => {
    const { sql, params } = hasEffectsSql(2);
    expect(sql).toContain('o.event = ANY($2::text[])');
    expect(sql).toContain('o.event <> ALL($3::text[])');
    expect(params).toEqual([['task.created', 'task.transitioned', 'task.urged', 'task.carded', 'task.withdrawn', 'task.revised'], []]);
  });
});
