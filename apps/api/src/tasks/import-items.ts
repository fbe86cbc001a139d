import { createInterface } from 'node:readline';
import type { ImportItem } from '@duban/tasks';
import type { Request } from 'express';
import { RequestValidationError } from '@duban/http';

/** A line this long is not a task record; it is refused without being held in memory twice. */
const MAX_LINE = 1_000_000;

/** Whether POST /tasks/import streams NDJSON (by its content type) rather than sending a JSON array. */
export function isNdjson(req: Request): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/x-ndjson' || type === 'application/ndjson';
}

/**
 * The records of POST /tasks/import as NDJSON: read line by line from the request stream (a
 * hundred thousand records never sit in memory together).
 */
export async function* ndjsonItems(req: Request): AsyncGenerator<ImportItem> {
  const lines = createInterface({ input: req, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    if (line.length > MAX_LINE) {
      yield { unreadable: `line longer than ${MAX_LINE} characters` };
      continue;
    }
    try {
      yield { value: JSON.parse(line) };
    } catch (err) {
      yield { unreadable: `not JSON: ${(err as Error).message}` };
    }
  }
}

/** The records of a JSON-array import, parsed by the body parser within BODY_LIMIT. */
export function arrayItems(req: Request): ImportItem[] {
  if (!Array.isArray(req.body)) {
    throw new RequestValidationError([{ path: '', message: 'send a JSON array of records, or NDJSON with content-type application/x-ndjson' }]);
  }
  return (req.body as unknown[]).map((value) => ({ value }));
}
