import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { ConfigError } from '@duban/config';
import { closeOnSignals } from '@duban/http';
import { createApiApp } from './app.js';

try {
  const app = await createApiApp();
  const port = app.get(ConfigService).getOrThrow<number>('PORT');
  closeOnSignals(app);
  (app.getHttpServer() as import('node:http').Server).requestTimeout = app.get(ConfigService).getOrThrow<number>('REQUEST_TIMEOUT_MS');
  await app.listen(port);
} catch (err) {
  process.stderr.write(`api: ${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
