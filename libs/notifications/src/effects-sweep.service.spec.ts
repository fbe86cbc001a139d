import { describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { DataSource } from 'typeorm';
import { EffectsSweepService } from './effects-sweep.service.js';
import type { MailService } from './mail.service.js';
import type { OutboxRelayService } from './outbox-relay.service.js';
import type { SweepRound } from './sweep-round.js';
import type { WebhooksService } from './webhooks.service.js';

/** A sweep whose pages are given in turn, recording where each round asked to begin. */
function pages(rounds: SweepRound[]) {
  const asked: string[] = [];
  return { asked, sweep: async (_limit: number, _settle: number, after: string) => (asked.push(after), rounds.shift()!) };
}

describe('EffectsSweepService', () => {
  it('goes on after a full page of undone events, so rows that can never be done do not hide newer ones, and starts again after a short page', async () => {
    const events = pages([
      { put: 0, next: '1000' },
      { put: 3, next: null },
      { put: 0, next: null },
    ]);
    const mail = pages([
      { put: 0, next: null },
      { put: 0, next: '2000' },
      { put: 1, next: null },
    ]);
    const db = { transaction: async (work: (tx: unknown) => Promise<unknown>) => work({ query: async () => [{ locked: true }] }) };
    const service = new EffectsSweepService(
      db as unknown as DataSource,
      { sweep: events.sweep } as unknown as OutboxRelayService,
      { sweep: async () => 0 } as unknown as WebhooksService,
      { sweep: mail.sweep } as unknown as MailService,
      {} as ConfigService,
    );
    const rounds = [await service.sweep(), await service.sweep(), await service.sweep()];
    expect(events.asked).toEqual(['0', '1000', '0']);
    expect(mail.asked).toEqual(['0', '0', '2000']);
    expect(rounds).toEqual([
      { events: 0, deliveries: 0, mail: 0 },
      { events: 3, deliveries: 0, mail: 0 },
      { events: 0, deliveries: 0, mail: 1 },
    ]);
  });
});
