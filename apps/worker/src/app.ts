import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { configureHttpApp } from '@duban/http';
import { WorkerModule } from './worker.module.js';

/**
 * The worker: BullMQ processors, plus a small HTTP listener for GET /health and GET /metrics.
 * `processors` is for tests that run the real worker with a queue of their own.
 */
export async function createWorkerApp(...args: Parameters<typeof WorkerModule.register>): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(WorkerModule.register(...args), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  configureHttpApp(app, { bodyLimit: '16kb' });
  return app;
}

export async function listen(app: NestExpressApplication): Promise<void> {
  await app.listen(app.get(ConfigService).getOrThrow<number>('WORKER_PORT'));
}
