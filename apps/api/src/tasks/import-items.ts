import type { ImportItem } from '@duban/tasks';
import type { Request } from 'express';
import { DomainError, RequestValidationError } from '@duban/http';

/** No task record is this long (1 MiB): a longer NDJSON line stops the import with 413. */
export const MAX_LINE_BYTES = 1_048_576;

/** Whether POST /tasks/import streams NDJSON (by its content type) rather than sending a JSON array. */
export function isNdjson(req: Request): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/x-ndjson' || type === 'application/ndjson';
}

/**
 * A line longer than any task record: the import stops there (413), the rest of the body is not
 * read. The good records of the lines before it are imported; a retry skips them (externalRef or
 * content key).
 */
export class ImportLineTooLongError extends DomainError.of(413, 'import-line-too-long', 'Import line too long') {
  constructor(line: number, index: number, limit: number) {
    super(
      `第 ${line} 行（记录 ${index}）超过 ${limit} 字节的上限，导入在此停止，此前的合格记录已导入。` +
        `Line ${line} (record index ${index}) is longer than ${limit} bytes; the good records before it are imported, and a retry skips them.`,
    );
    this.extensions.line = line;
    this.extensions.index = index;
    this.extensions.limit = limit;
  }
}

/** One NDJSON line as a record: null for a blank line. */
function itemOf(bytes: Buffer): ImportItem | null {
  const text = bytes.toString('utf8');
  if (text.trim() === '') return null;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    return { unreadable: `not JSON: ${(err as Error).message}` };
  }
}

/**
 * The records of POST /tasks/import as NDJSON, split from the request stream as it arrives: no
 * more than `maxLine` bytes of a line are ever held (a hundred thousand records never sit in memory
 * together, and a 600 MB line is refused at its first MiB, not buffered first).
 * @throws ImportLineTooLongError (413) at the first line longer than `maxLine`; the connection is
 *   closed after the answer instead of reading the rest.
 */
export async function* ndjsonItems(req: Request, maxLine = MAX_LINE_BYTES): AsyncGenerator<ImportItem> {
  let parts: Buffer[] = [];
  let size = 0;
  let line = 0;
  let index = 0;
  const tooLong = () => {
    req.res?.setHeader('Connection', 'close');
    return new ImportLineTooLongError(line + 1, index, maxLine);
  };
  // Not destroyed when this generator stops early: the answer still goes out on its socket.
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      size += end - start;
      if (size > maxLine) throw tooLong();
      if (newline === -1) {
        if (end > start) parts.push(chunk.subarray(start));
        break;
      }
      parts.push(chunk.subarray(start, end));
      const item = itemOf(Buffer.concat(parts, size));
      parts = [];
      size = 0;
      line++;
      start = newline + 1;
      if (item) {
        index++;
        yield item;
      }
    }
  }
  const last = size > 0 ? itemOf(Buffer.concat(parts, size)) : null;
  if (last) yield last;
}

/** The records of a JSON-array import, parsed by the body parser within BODY_LIMIT. */
export function arrayItems(req: Request): ImportItem[] {
  if (!Array.isArray(req.body)) {
    throw new RequestValidationError([{ path: '', message: 'send a JSON array of records, or NDJSON with content-type application/x-ndjson' }]);
  }
  return (req.body as unknown[]).map((value) => ({ value }));
}
