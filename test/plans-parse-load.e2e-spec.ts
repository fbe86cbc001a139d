import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { login } from './support/org-fixture.js';
import { DEMO_PASSWORD } from './support/stack.js';
import { createTestEnv, type RunningApp, startSeededApi, type TestEnv } from './support/test-env.js';

/**
 * A large crafted plan is parsed in a worker thread: while it is read, the api keeps answering.
 * Before, parsing ran on the event loop and held up every request, /health included.
 */

/** Lines that close brackets never opened under one item: 480,000 characters, the most a plan may have is 500,000. */
const HEAVY_PLAN = `2024年工作要点\n一、总体\n（一）推进工作。\n${'推进)\n'.repeat(120_000)}`;

describe('plans: parsing a large plan does not stall the api', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let admin: string;

  beforeAll(async () => {
    testEnv = await createTestEnv({ seededWith: DEMO_PASSWORD });
    // 480,000 characters are about 1 MB of JSON: above the default body limit.
    api = await startSeededApi(testEnv, DEMO_PASSWORD, { BODY_LIMIT: '2mb' });
    admin = await login(api.url, 'admin', DEMO_PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await testEnv?.dispose();
  });

  async function healthMs(): Promise<number> {
    const start = performance.now();
    await request(api.url).get('/api/v1/health').expect(200);
    return performance.now() - start;
  }

  /** Previews `send`'s plan while asking /health again and again; the timings and the preview's answer. */
  async function previewWhileAsking(send: (req: request.Test) => request.Test) {
    await healthMs();
    let done = false;
    const start = performance.now();
    const preview = send(request(api.url).post('/api/v1/plans/import/preview').set('Authorization', admin)).then((res) => {
      done = true;
      return res;
    });
    const during: number[] = [];
    while (!done) during.push(await healthMs());
    const res = await preview;
    const previewMs = performance.now() - start;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: '2024年工作要点', year: 2024 });
    expect(res.body.items).toHaveLength(1);
    // Parsing on the event loop let one or two health checks through, the second after waiting
    // for the whole parse. Off the loop, many answer meanwhile, nine in ten within 100 ms; the
    // rest only wait for other processes on this shared machine, never for the parse.
    const sorted = [...during].sort((a, b) => a - b);
    const figures = { previewMs: Math.round(previewMs), health: during.map(Math.round) };
    expect({
      figures,
      answeredMeanwhile: during.length >= 5,
      ninetiethPercentileUnder100: sorted[Math.floor(sorted.length * 0.9)]! < 100,
      noneWaitedForTheParse: sorted[sorted.length - 1]! < previewMs / 2,
    }).toEqual({ figures, answeredMeanwhile: true, ninetiethPercentileUnder100: true, noneWaitedForTheParse: true });
  }

  it('answers /health within 100 ms, again and again, while a 480,000-character plan is previewed', async () => {
    await previewWhileAsking((req) => req.send({ text: HEAVY_PLAN }));
  }, 60_000);

  it('does the same for the plan uploaded as a .txt file: a document read from a file is parsed off the loop too', async () => {
    await previewWhileAsking((req) => req.attach('file', Buffer.from(HEAVY_PLAN), { filename: '工作要点.txt', contentType: 'text/plain' }));
  }, 60_000);
});
