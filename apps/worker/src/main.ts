import 'reflect-metadata';
import { ConfigError } from '@duban/config';
import { createWorkerApp, listen } from './app.js';

try {
  await listen(await createWorkerApp());
} catch (err) {
  process.stderr.write(`worker: ${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
