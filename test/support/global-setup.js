import { randomBytes } from 'node:crypto';

/**
 * One id per test run: every database and Redis prefix the run creates carries it, so the
 * teardown drops exactly what this run made and nothing else. Workers inherit process.env.
 */
export default function globalSetup() {
  process.env.DUBAN_TEST_RUN = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}
