import 'reflect-metadata';
import { ConfigError } from '@duban/config';
import { closeOnSignals } from '@duban/http';
import { createWorkerApp, listen } from './app.js';

try {
  const app = await createWorkerApp();
  closeOnSignals(app);
  await listen(app);
} catch (err) {
  process.stderr.write(`worker: ${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
