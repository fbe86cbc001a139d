import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { CLIENT_TYPES_PATH, clientTypes } from './client-types.js';
import { offlineOpenApiDocument } from './openapi.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every operation of the document, as `METHOD /path`. */
function operations(document: OpenAPIObject) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ name: `${method.toUpperCase()} ${path}`, operation: item[method] }] : [])),
  );
}

describe('the OpenAPI document the web console is typed from', () => {
  let document: OpenAPIObject;

  it('is built without a database or Redis', async () => {
    document = await offlineOpenApiDocument();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/tasks', '/api/v1/tasks/{id}/actions', '/api/v1/me/notifications']));
  });

  it('gives every operation a summary, Chinese first', () => {
    const missing = operations(document)
      .filter(({ operation }) => !/^[\u3400-\u9fff]/.test(operation.summary ?? ''))
      .map(({ name }) => name);
    expect(missing).toEqual([]);
  });

  it('gives every operation a success answer with a schema (204 aside) and problem+json errors', () => {
    const missing = operations(document)
      .filter(({ operation }) => {
        const success = Object.entries(operation.responses).filter(([status]) => /^2/.test(status));
        const typed = success.some(
          ([status, r]) => status === '204' || (r !== undefined && 'content' in r && Object.values(r.content ?? {}).some((c) => c.schema)),
        );
        const problem = operation.responses.default;
        return !typed || !problem || !('content' in problem) || !problem.content?.['application/problem+json'];
      })
      .map(({ name }) => name);
    expect(missing).toEqual([]);
  });

  it('declares bearer auth and names the enums the console shows', () => {
    expect(document.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const schemas = document.components?.schemas ?? {};
    expect(schemas.Light).toMatchObject({ enum: ['green', 'yellow', 'red'] });
    expect(schemas.Card).toMatchObject({ enum: ['yellow', 'red'] });
    expect(schemas.Role).toMatchObject({ enum: ['handler', 'lead', 'supervisor', 'admin'] });
  });

  it(`matches the committed client types (${CLIENT_TYPES_PATH}); if not, run npm run api:types and commit the file`, async () => {
    const committed = readFileSync(CLIENT_TYPES_PATH, 'utf8');
    const fresh = await clientTypes(document);
    if (fresh !== committed) {
      throw new Error(`${CLIENT_TYPES_PATH} is stale: the api's OpenAPI document changed. Run \`npm run api:types\` and commit the file.`);
    }
  });
});
