import type { OpenAPIObject } from '@nestjs/swagger';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

/** Where the web console's typed client (openapi-fetch) reads the api's types from. */
export const CLIENT_TYPES_PATH = 'apps/web/src/api/schema.d.ts';

/**
 * The TypeScript types of `document` as openapi-typescript writes them, with a header saying how
 * the file is made; deterministic, so a test can compare it with the committed file.
 */
export async function clientTypes(document: OpenAPIObject): Promise<string> {
  const nodes = await openapiTS(JSON.parse(JSON.stringify(document)) as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return `${COMMENT_HEADER}// Generated from the api's OpenAPI document by \`npm run api:types\`; a test fails when it is stale.\n\n${astToString(nodes)}`;
}
