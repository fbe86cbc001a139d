import { type ImportItem, ImportLineTooLongError, MAX_LINE_BYTES, ndjsonRecords } from '@duban/tasks';
import type { Request } from 'express';
import { RequestValidationError } from '@duban/http';

/** Whether POST /tasks/import streams NDJSON (by its content type) rather than sending a JSON array. */
export function isNdjson(req: Request): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/x-ndjson' || type === 'application/ndjson';
}

/**
 * The records of POST /tasks/import as NDJSON, read from the request as it arrives (ndjsonRecords).
 * @throws ImportLineTooLongError (413) at the first line longer than `maxLine`; the connection is
 *   closed after the answer instead of reading the rest.
 */
export async function* ndjsonItems(req: Request, maxLine = MAX_LINE_BYTES): AsyncGenerator<ImportItem> {
  try {
    // Not destroyed when this generator stops early: the answer still goes out on its socket.
    yield* ndjsonRecords(req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>, maxLine);
  } catch (err) {
    if (err instanceof ImportLineTooLongError) req.res?.setHeader('Connection', 'close');
    throw err;
  }
}

/** The records of a JSON-array import, parsed by the body parser within BODY_LIMIT. */
export function arrayItems(req: Request): ImportItem[] {
  if (!Array.isArray(req.body)) {
    throw new RequestValidationError([{ path: '', message: 'send a JSON array of records, or NDJSON with content-type application/x-ndjson' }]);
  }
  return (req.body as unknown[]).map((value) => ({ value }));
}
