import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { type DefaultTreeAdapterTypes, parseFragment } from 'parse5';
// Not '@duban/attachments', whose index loads Nest: this module runs in a worker thread too.
import { oleRootNames } from '@duban/attachments/content-type';
import { type PlanBlock, type PlanDocument, readTextDocument } from '@duban/plan-import';
import { documentChars } from './plan-text.js';
import {
  MAX_PLAN_FILE_BYTES,
  PLAN_FILE_LIMITS,
  PlanFileEmptyError,
  PlanFileEncryptedError,
  PlanFileTooComplexError,
  PlanFileTooLargeError,
  PlanFileTypeError,
  PlanFileUnreadableError,
} from './errors.js';

type Element = DefaultTreeAdapterTypes.Element;

/** What the bytes are, from their first bytes and (for a ZIP) the parts it holds; never from the name alone. */
type Kind = 'xlsx' | 'docx' | 'text';

const ZIP = Buffer.from('PK\x03\x04', 'latin1');
const EMPTY_ZIP = Buffer.from('PK\x05\x06', 'latin1');
/** The OLE2 compound-file signature: old .doc/.xls, and Office's password-protected .docx/.xlsx. */
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const PDF = Buffer.from('%PDF', 'latin1');

/**
 * Reads a plan file into paragraphs and tables in reading order (PlanDocument, document.ts):
 * - `.xlsx` (exceljs): each worksheet's rows, cells as shown (rich text joined, formulas' results,
 *   dates as 2024年6月30日), a merged cell's text in every cell it covers, empty rows and columns
 *   dropped; rows before and after the table that hold one text only (a title merged across the
 *   sheet, 附件1, a note) become paragraphs.
 * - `.docx` (mammoth → HTML → parse5): paragraphs and headings, tables with colspan/rowspan spread
 *   into every covered cell, a cell's paragraphs and line breaks kept as '\n'.
 * - text: UTF-8 (with or without BOM), UTF-16 with BOM, otherwise GB18030/GBK (what Chinese
 *   Windows saves as ANSI), then `readTextDocument`.
 * The kind is read from the content, whatever the name says.
 *
 * Errors (libs/plans errors.ts, each naming `filename`): empty → PlanFileEmptyError (400); over
 * MAX_PLAN_FILE_BYTES → PlanFileTooLargeError (413); a password-protected Office file →
 * PlanFileEncryptedError (400); old .doc/.xls, PDF, or anything else → PlanFileTypeError (415);
 * a ZIP that is no readable docx/xlsx → PlanFileUnreadableError (400); content past
 * PLAN_FILE_LIMITS (unzipped bytes, cells, merged ranges, characters) → PlanFileTooComplexError
 * (413), the ZIP's bounds checked before exceljs or mammoth read a byte of it.
 *
 * It runs on the calling thread: the api reads through readPlanFileOffLoop (plan-parser.ts).
 */
export async function readPlanFile(data: Buffer, filename: string): Promise<PlanDocument> {
  if (data.length === 0) throw new PlanFileEmptyError(filename);
  if (data.length > MAX_PLAN_FILE_BYTES) throw new PlanFileTooLargeError(filename);
  const kind = kindOf(data, filename);
  let doc: PlanDocument;
  if (kind === 'text') {
    const text = decodeText(data);
    if (text.length > PLAN_FILE_LIMITS.chars) throw new PlanFileTooComplexError(filename, 'chars');
    doc = readTextDocument(text);
  } else {
    const cells = { left: PLAN_FILE_LIMITS.cells };
    try {
      doc = kind === 'xlsx' ? await readWorkbook(data, cells) : await readWordDocument(data, cells);
    } catch (err) {
      if (err === TOO_MANY_CELLS) throw new PlanFileTooComplexError(filename, 'cells');
      throw new PlanFileUnreadableError(filename, `${kind === 'xlsx' ? 'Excel' : 'Word'} 文件内容有误：${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (documentChars(doc) > PLAN_FILE_LIMITS.chars) throw new PlanFileTooComplexError(filename, 'chars');
  return doc;
}

/**
 * The bytes reading `data` will go through, without reading it: a ZIP's parts unzipped as its
 * directory declares them (readPlanFile checks the declaration while inflating), anything else its
 * own length. A ZIP whose directory cannot be read counts as its length (readPlanFile refuses it).
 */
export function expandedBytes(data: Buffer): number {
  const entries = startsWith(data, ZIP) ? zipEntries(data) : null;
  return entries ? entries.reduce((sum, entry) => sum + entry.size, 0) : data.length;
}

/** Thrown inside the readers when a table passes PLAN_FILE_LIMITS.cells; readPlanFile names the file. */
const TOO_MANY_CELLS = new Error('too many cells');

/** The cells a file may still spread into; each reader takes from it and stops at none. */
interface CellBudget {
  left: number;
}

function spend(budget: CellBudget, cells: number): void {
  budget.left -= cells;
  if (budget.left < 0) throw TOO_MANY_CELLS;
}

function kindOf(data: Buffer, filename: string): Kind {
  if (startsWith(data, OLE2)) {
    // The root streams' names are fixed by the formats ([MS-OFFCRYPTO] 2.3.4.1, [MS-DOC] 2.1, [MS-XLS] 2.1.2).
    const names = new Set(oleRootNames(data) ?? []);
    const has = (name: string) => names.has(name);
    if (has('EncryptedPackage') || has('EncryptionInfo')) throw new PlanFileEncryptedError(filename);
    throw new PlanFileTypeError(filename, has('WordDocument') ? 'doc' : has('Workbook') || has('Book') ? 'xls' : null);
  }
  if (startsWith(data, PDF)) throw new PlanFileTypeError(filename, 'pdf');
  if (startsWith(data, ZIP) || startsWith(data, EMPTY_ZIP)) {
    const entries = zipEntries(data);
    if (!entries) throw new PlanFileUnreadableError(filename, 'ZIP 目录无法读取');
    const parts = new Set(entries.map((entry) => entry.name));
    const kind = parts.has('word/document.xml') ? 'docx' : parts.has('xl/workbook.xml') ? 'xlsx' : null;
    if (!kind) {
      if (parts.has('[Content_Types].xml')) throw new PlanFileTypeError(filename, null);
      throw new PlanFileUnreadableError(filename, '压缩包中没有 Word 文档或 Excel 工作簿');
    }
    checkExpansion(data, entries, filename);
    return kind;
  }
  if (looksLikeText(data)) return 'text';
  throw new PlanFileTypeError(filename, null);
}

const startsWith = (data: Buffer, magic: Buffer) => data.length >= magic.length && data.subarray(0, magic.length).equals(magic);

/** One part of a ZIP as its central directory (APPNOTE 4.3.12) describes it. */
interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; exceljs and mammoth (JSZip) read no other. */
  method: number;
  compressedSize: number;
  /** Bytes once inflated, as declared. */
  size: number;
  /** Where the part's local header starts. */
  offset: number;
}

/**
 * The entries of a ZIP's central directory (APPNOTE 4.3.12/4.3.16), read from the end-of-central-
 * directory record; null when the directory is not where the record says (a truncated or damaged file).
 */
function zipEntries(data: Buffer): ZipEntry[] | null {
  // The end record is 22 bytes plus a comment of up to 65535.
  const from = Math.max(0, data.length - 22 - 0xffff);
  let end = -1;
  for (let i = data.length - 22; i >= from; i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = data.readUInt16LE(end + 10);
  let at = data.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = data.readUInt16LE(at + 28);
    const extra = data.readUInt16LE(at + 30);
    const comment = data.readUInt16LE(at + 32);
    if (at + 46 + nameLength > data.length) return null;
    entries.push({
      name: data.toString('utf8', at + 46, at + 46 + nameLength),
      method: data.readUInt16LE(at + 10),
      compressedSize: data.readUInt32LE(at + 20),
      size: data.readUInt32LE(at + 24),
      offset: data.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

const MERGE = /<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"/g;

/**
 * Refuses a .docx/.xlsx before exceljs or mammoth inflate it whole: its parts' declared sizes
 * past PLAN_FILE_LIMITS.expanded, a part that inflates past what it declares (each inflated
 * here, stopped at its declared size), or a sheet whose merged ranges pass the cell or merge
 * bounds (exceljs creates every cell a merged range covers, and compares each range with every other).
 */
function checkExpansion(data: Buffer, entries: ZipEntry[], filename: string): void {
  if (entries.reduce((sum, entry) => sum + entry.size, 0) > PLAN_FILE_LIMITS.expanded) throw new PlanFileTooComplexError(filename, 'expanded');
  for (const entry of entries) {
    const at = entry.offset;
    if (at + 30 > data.length || data.readUInt32LE(at) !== 0x04034b50) throw new PlanFileUnreadableError(filename, `ZIP 条目 ${entry.name} 的位置有误`);
    const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
    const stored = data.subarray(start, start + entry.compressedSize);
    let bytes: Buffer;
    if (entry.method === 0) {
      if (stored.length !== entry.size) throw new PlanFileTooComplexError(filename, 'expanded');
      bytes = stored;
    } else if (entry.method === 8) {
      try {
        // One byte past the declaration is enough to know it was false.
        bytes = inflateRawSync(stored, { maxOutputLength: entry.size + 1 });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new PlanFileTooComplexError(filename, 'expanded');
        throw new PlanFileUnreadableError(filename, `ZIP 条目 ${entry.name} 无法解压`);
      }
      if (bytes.length > entry.size) throw new PlanFileTooComplexError(filename, 'expanded');
    } else continue;
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(entry.name)) {
      let merges = 0;
      let cells = 0;
      for (const [, left, top, right, bottom] of bytes.toString('latin1').matchAll(MERGE)) {
        merges++;
        cells += (Math.abs(Number(bottom) - Number(top)) + 1) * (Math.abs(column(right!) - column(left!)) + 1);
      }
      if (merges > PLAN_FILE_LIMITS.merges) throw new PlanFileTooComplexError(filename, 'merges');
      if (cells > PLAN_FILE_LIMITS.cells) throw new PlanFileTooComplexError(filename, 'cells');
    }
  }
}

/** A column's number from its letters: A 1, Z 26, AA 27. */
const column = (letters: string) => [...letters].reduce((n, letter) => n * 26 + letter.charCodeAt(0) - 64, 0);

/** Text has a UTF-16 byte-order mark, or no NUL and few other control bytes (tabs, line ends and form feeds are text). */
function looksLikeText(data: Buffer): boolean {
  if (utf16(data)) return true;
  const sample = data.subarray(0, 64 * 1024);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  return control <= sample.length / 100;
}

const utf16 = (data: Buffer): 'utf-16le' | 'utf-16be' | null =>
  data[0] === 0xff && data[1] === 0xfe ? 'utf-16le' : data[0] === 0xfe && data[1] === 0xff ? 'utf-16be' : null;

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), UTF-16 by its BOM, else GB18030 (a superset of GBK and GB2312). */
export function decodeText(data: Buffer): string {
  const wide = utf16(data);
  if (wide) return new TextDecoder(wide).decode(data);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}

async function readWorkbook(data: Buffer, cells: CellBudget): Promise<PlanDocument> {
  const workbook = new ExcelJS.Workbook();
  // exceljs declares its own Buffer type; the bytes are what it reads.
  await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
  const blocks: PlanBlock[] = [];
  workbook.eachSheet((sheet) => {
    const rows: string[][] = [];
    // exceljs counts columns by walking every row: read once, not once a cell.
    const width = sheet.columnCount;
    // Before a cell is read: one cell far down or across makes the used range huge.
    spend(cells, sheet.rowCount * width);
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const cells: string[] = [];
      // A merged cell's value is its master's (exceljs), so the text spreads over what it covers.
      for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
      rows.push(cells);
    }
    blocks.push(...gridBlocks(rows));
  });
  return { blocks };
}

/** A cell as Excel shows it; a number is written as it is, a date as Chinese plans write them. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return `${value.getUTCFullYear()}年${value.getUTCMonth() + 1}月${value.getUTCDate()}日`;
  if (typeof value !== 'object') return normalise(String(value));
  if ('richText' in value) return normalise(value.richText.map((run) => run.text).join(''));
  if ('formula' in value || 'sharedFormula' in value) return 'result' in value ? cellText(value.result as ExcelJS.CellValue) : '';
  if ('hyperlink' in value) return normalise(typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue));
  if ('error' in value) return '';
  return '';
}

/** Line ends (Excel's Alt+Enter, Word's vertical tab for a manual break) as '\n', each line trimmed, blank lines dropped. */
const normalise = (text: string) =>
  text
    .replaceAll('\v', '\n')
    .split(/\r\n?|\n|\u2028/)
    .map((line) => line.replace(/[\s\u00a0\u3000]+$/u, '').replace(/^[\s\u00a0]+/u, ''))
    .filter((line) => line !== '')
    .join('\n');

/**
 * A grid of cells (merged cells already spread) as blocks: rows and columns with no text
 * dropped, rows before the first and after the last row of more than one distinct text as
 * paragraphs (a title merged across the sheet reads as its text once), the rest one table.
 */
function gridBlocks(grid: string[][]): PlanBlock[] {
  const rows = grid.filter((row) => row.some((cell) => cell !== ''));
  if (rows.length === 0) return [];
  // Not Math.max(...rows): a spread of a few hundred thousand rows overflows the stack.
  const width = rows.reduce((widest, row) => Math.max(widest, row.length), 0);
  const used = [...Array(width).keys()].filter((c) => rows.some((row) => (row[c] ?? '') !== ''));
  const table = rows.map((row) => used.map((c) => row[c] ?? ''));
  const distinct = (row: string[]) => new Set(row.filter((cell) => cell !== '')).size;
  let first = 0;
  while (first < table.length && distinct(table[first]!) <= 1) first++;
  let last = table.length - 1;
  while (last >= first && distinct(table[last]!) <= 1) last--;
  const paragraph = (row: string[]): PlanBlock => ({ kind: 'paragraph', text: row.find((cell) => cell !== '')! });
  return [
    ...table.slice(0, first).map(paragraph),
    ...(first <= last ? [{ kind: 'table' as const, rows: table.slice(first, last + 1) }] : []),
    ...table.slice(Math.max(first, last + 1)).map(paragraph),
  ];
}

async function readWordDocument(data: Buffer, cells: CellBudget): Promise<PlanDocument> {
  const { value: html } = await mammoth.convertToHtml({ buffer: data });
  const blocks: PlanBlock[] = [];
  const walk = (nodes: DefaultTreeAdapterTypes.ChildNode[]) => {
    for (const child of nodes) {
      if (!isElement(child)) continue;
      if (child.tagName === 'table') {
        const rows = tableRows(child, cells);
        if (rows.some((row) => row.some((cell) => cell !== ''))) blocks.push({ kind: 'table', rows });
      } else if (/^(p|h[1-6]|li)$/.test(child.tagName)) {
        // A list item's own words are one paragraph; a list or table inside it follows as its own blocks.
        const nested = child.childNodes.filter((n) => isElement(n) && /^(ul|ol|table)$/.test(n.tagName));
        const text = normalise(textOf({ ...child, childNodes: child.childNodes.filter((n) => !nested.includes(n)) }));
        if (text) blocks.push({ kind: 'paragraph', text });
        walk(nested);
      } else walk(child.childNodes);
    }
  };
  walk(parseFragment(html).childNodes);
  return { blocks };
}

const isElement = (node: DefaultTreeAdapterTypes.ChildNode): node is Element => 'tagName' in node;

/** An element's text: line breaks and paragraph ends as '\n' (a nested table's cells one to a line). */
function textOf(node: Element): string {
  let text = '';
  for (const child of node.childNodes) {
    if (child.nodeName === '#text') text += (child as DefaultTreeAdapterTypes.TextNode).value;
    else if (isElement(child)) {
      if (child.tagName === 'br') text += '\n';
      else if (/^(p|h[1-6]|li|tr|td|th|table|ul|ol|div)$/.test(child.tagName)) text += `\n${textOf(child)}\n`;
      else text += textOf(child);
    }
  }
  return text;
}

/**
 * The HTML table model (HTML §4.9.12, the rows of thead/tbody/tfoot in order): each cell placed
 * in the first free column of its row and its text repeated over the rows and columns its
 * rowspan/colspan covers; rows padded to the widest with ''. Each cell placed is taken from `cells`.
 */
function tableRows(table: Element, cells: CellBudget): string[][] {
  const trs: Element[] = [];
  const collect = (node: Element) => {
    for (const child of node.childNodes) {
      if (!isElement(child)) continue;
      if (child.tagName === 'tr') trs.push(child);
      else if (/^(thead|tbody|tfoot)$/.test(child.tagName)) collect(child);
    }
  };
  collect(table);
  const grid: string[][] = trs.map(() => []);
  trs.forEach((tr, r) => {
    let c = 0;
    for (const cell of tr.childNodes) {
      if (!isElement(cell) || (cell.tagName !== 'td' && cell.tagName !== 'th')) continue;
      while (grid[r]![c] !== undefined) c++;
      const span = (name: string) => Math.max(1, Math.min(1000, Number.parseInt(cell.attrs.find((a) => a.name === name)?.value ?? '1', 10) || 1));
      const text = normalise(textOf(cell));
      const colspan = span('colspan');
      const rowspan = Math.min(span('rowspan'), trs.length - r);
      spend(cells, rowspan * colspan);
      for (let dr = 0; dr < rowspan; dr++) for (let dc = 0; dc < colspan; dc++) grid[r + dr]![c + dc] = text;
      c += colspan;
    }
  });
  const width = grid.reduce((widest, row) => Math.max(widest, row.length), 0);
  // Padding places cells too: a short row under a wide one.
  spend(
    cells,
    grid.reduce((padding, row) => padding + width - row.length, 0),
  );
  return grid.map((row) => Array.from({ length: width }, (_, c) => row[c] ?? ''));
}
