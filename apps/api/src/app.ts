import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { configureHttpApp } from '@duban/http';
import { ApiModule } from './api.module.js';
import { openApiDocument, setApiPrefix } from './openapi.js';
import { mountQueueBoard } from './ops/queue-board.js';
import { mountWebConsole } from './ops/web-console.js';

/** The api as main.ts runs it and as the e2e tests run it: one assembly, no test-only wiring. */
export async function createApiApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  const config = app.get(ConfigService);
  setApiPrefix(app);
  configureHttpApp(app, {
    bodyLimit: config.getOrThrow<string>('BODY_LIMIT'),
    trustProxy: config.get<string>('TRUST_PROXY'),
  });
  const document = openApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
  mountQueueBoard(app);
  mountWebConsole(app);
  return app;
}
