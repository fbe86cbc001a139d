import type { PlanDocument } from '@duban/plan-import';

/**
 * A document as plain text, the way it reads when copied out of Word or Excel: paragraphs on their
 * own lines, a table's cells joined by tabs and its rows by newlines (a cell's own line breaks
 * become spaces so each row stays one line). Kept as the plan's `source` for a file import, so
 * that what was imported can be read again.
 */
export function documentText(doc: PlanDocument): string {
  return doc.blocks
    .map((block) =>
      block.kind === 'paragraph' ? block.text : block.rows.map((row) => row.map((cell) => cell.replace(/\s*\n\s*/g, ' ')).join('\t')).join('\n'),
    )
    .join('\n');
}

/** A document's size as the parser and the file bounds see it: the characters of its paragraphs and cells. */
export function documentChars(doc: PlanDocument): number {
  let chars = 0;
  for (const block of doc.blocks) {
    if (block.kind === 'paragraph') chars += block.text.length;
    else for (const row of block.rows) for (const cell of row) chars += cell.length;
  }
  return chars;
}
