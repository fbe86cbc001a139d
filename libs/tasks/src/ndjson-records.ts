import { DomainError } from '@duban/http';
import type { ImportItem } from './task-import.service.js';

/** No task record is this long (1 MiB): a longer NDJSON line stops the import with 413. */
export const MAX_LINE_BYTES = 1_048_576;

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
 * The records of an NDJSON import (POST /tasks/import, `npm run import`), split from the byte
 * stream as it arrives: no more than `maxLine` bytes of a line are ever held (a hundred thousand
 * records never sit in memory together, and a 600 MB line is refused at its first MiB, not
 * buffered first). Blank lines are skipped; a line that is not JSON is an `unreadable` record.
 * @throws ImportLineTooLongError (413) at the first line longer than `maxLine`.
 */
export async function* ndjsonRecords(chunks: AsyncIterable<Buffer>, maxLine = MAX_LINE_BYTES): AsyncGenerator<ImportItem> {
  let parts: Buffer[] = [];
  let size = 0;
  let line = 0;
  let index = 0;
  const tooLong = () => new ImportLineTooLongError(line + 1, index, maxLine);
  for await (const chunk of chunks) {
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
