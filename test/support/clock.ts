import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, ROOT } from './test-env.js';

/**
 * The clock of a stack a test starts (see clock-preload.js): pass `env` to startBuilt/
 * startSeededApi, then stop the clock at an instant of the test's choosing, so that what the
 * server computes from "now" (created_at, accepted_at, closed_at, a resumed ticket's paused time,
 * whether a timer is due) is known to the millisecond and can be worked out by hand. It stops the
 * process's clock and its database's (duban_now(), which every process of the stack reads).
 */
export interface TestClock {
  /** Environment that loads the clock into the process. */
  env: Record<string, string>;
  /** Stops the clock at `at` (an ISO instant with its offset); it reads exactly that until moved again. */
  stopAt(at: string): Promise<void>;
  /** Gives the process and the database the real time back. */
  release(): Promise<void>;
}

/** Environment that makes a built process's own clock run `offsetMs` ahead of the real time (behind if negative), as on a host whose clock is off. */
export function skewedClock(offsetMs: number): Record<string, string> {
  return {
    NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, 'test', 'support', 'clock-preload.js')).href}`,
    DUBAN_TEST_CLOCK_OFFSET_MS: String(offsetMs),
  };
}

export async function testClock(): Promise<TestClock> {
  const port = await freePort();
  const set = async (at: string | null) => {
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'PUT', body: JSON.stringify({ at }) });
    if (!res.ok) throw new Error(`test clock: ${res.status} ${await res.text()}`);
    const { now } = (await res.json()) as { now: string };
    if (at !== null && Date.parse(now) !== Date.parse(at)) throw new Error(`test clock: asked for ${at}, reads ${now}`);
  };
  return {
    env: {
      NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, 'test', 'support', 'clock-preload.js')).href}`,
      DUBAN_TEST_CLOCK_PORT: String(port),
    },
    stopAt: (at) => set(at),
    release: () => set(null),
  };
}
