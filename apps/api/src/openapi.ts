import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiModule } from './api.module.js';
import { ProblemDto } from './problem.dto.js';

/** Where the REST API lives; /metrics stays at the root. */
export function setApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix('api/v1', { exclude: ['metrics'] });
}

const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } };

/**
 * The OpenAPI document of the api's routes (served at /api/docs-json, and the source of the web
 * console's types): every error answer, declared or not, is a ProblemDto in problem+json, and an
 * operation that needs a token also says 401.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Duban 督办 API')
      .setDescription('Tasks, timers and supervision for government offices. Errors are RFC 9457 problem+json (ProblemDto).')
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { extraModels: [ProblemDto] },
  );
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (/^[45]/.test(status) && response && 'description' in response && !response.content) response.content = PROBLEM_CONTENT;
      }
      if (operation.security?.length && !operation.responses['401']) {
        operation.responses['401'] = { description: 'No valid token (unauthorized)', content: PROBLEM_CONTENT };
      }
      operation.responses.default ??= { description: 'Any other error, RFC 9457 problem+json', content: PROBLEM_CONTENT };
    }
  }
  return document;
}

/**
 * The document without a database or Redis: the api's modules in preview mode (routes and their
 * metadata, no provider built), with placeholder connection settings the preview never uses.
 * What `npm run api:types` and its up-to-date test read.
 */
export async function offlineOpenApiDocument(): Promise<OpenAPIObject> {
  process.env.DATABASE_URL ??= 'postgres://openapi@127.0.0.1:1/unused';
  process.env.REDIS_URL ??= 'redis://127.0.0.1:1';
  process.env.JWT_SECRET ??= 'openapi-document-placeholder-secret-0123456789';
  const app = await NestFactory.create(ApiModule.register(), { preview: true, logger: false, abortOnError: false });
  try {
    setApiPrefix(app);
    return openApiDocument(app);
  } finally {
    await app.close();
  }
}
