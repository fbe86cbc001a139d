import TestSequencer from '@jest/test-sequencer';

/**
 * What a file takes when this machine has not run it yet (Jest's cache of durations is empty
 * on a fresh machine), by kind, in ms: a browser suite starts a stack and a browser and
 * takes minutes, an e2e file starts a stack and takes tens of seconds, a unit spec seconds.
 */
const GUESS = [
  [/\/test\/ui\/[^/]+\.e2e-spec\.ts$/, 90_000],
  [/\.e2e-spec\.ts$/, 15_000],
  [/$/, 2_000],
];

/**
 * Longest first, so the two workers finish together instead of one running a browser suite
 * alone at the end: by the duration Jest cached for the file, else by the guess for its kind
 * (Jest's own order puts files it has no duration for first, by size, so a long browser suite
 * may start last). Ties by size, bigger first.
 */
export default class LongestFirst extends TestSequencer {
  sort(tests) {
    const expected = (test) => this.time(test) ?? GUESS.find(([pattern]) => pattern.test(test.path))[1];
    const size = (test) => test.context.hasteFS.getSize(test.path) ?? 0;
    return [...tests].sort((a, b) => expected(b) - expected(a) || size(b) - size(a));
  }
}
