import { writeFileSync } from 'node:fs';
import { CLIENT_TYPES_PATH, clientTypes } from './client-types.js';
import { offlineOpenApiDocument } from './openapi.js';

/**
 * `npm run api:types`: writes the web console's client types from the api's OpenAPI document,
 * built without a database or Redis, and the document itself beside the build (dist/openapi.json).
 */
const document = await offlineOpenApiDocument();
writeFileSync('dist/openapi.json', `${JSON.stringify(document, null, 2)}\n`);
writeFileSync(CLIENT_TYPES_PATH, await clientTypes(document));
process.stdout.write(`${CLIENT_TYPES_PATH} written from ${Object.keys(document.paths).length} paths\n`);
