import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { type DefaultTreeAdapterTypes, parseFragment } from 'parse5';
import { oleRootNames } from '@duban/attachments';
import { type PlanBlock, type PlanDocument, readTextDocument } from '@duban/plan-import';
import {
  MAX_PLAN_FILE_BYTES,
  PlanFileEmptyError,
  PlanFileEncryptedError,
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
 * a ZIP that is no readable docx/xlsx → PlanFileUnreadableError (400).
 */
export async function readPlanFile(data: Buffer, filename: string): Promise<PlanDocument> {
  if (data.length === 0) throw new PlanFileEmptyError(filename);
  if (data.length > MAX_PLAN_FILE_BYTES) throw new PlanFileTooLargeError(filename);
  const kind = kindOf(data, filename);
  if (kind === 'text') return readTextDocument(decodeText(data));
  try {
    return kind === 'xlsx' ? await readWorkbook(data) : await readWordDocument(data);
  } catch (err) {
    throw new PlanFileUnreadableError(filename, `${kind === 'xlsx' ? 'Excel' : 'Word'} 文件内容有误：${err instanceof Error ? err.message : String(err)}`);
  }
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
    const parts = zipEntryNames(data);
    if (!parts) throw new PlanFileUnreadableError(filename, 'ZIP 目录无法读取');
    if (parts.has('word/document.xml')) return 'docx';
    if (parts.has('xl/workbook.xml')) return 'xlsx';
    if (parts.has('[Content_Types].xml')) throw new PlanFileTypeError(filename, null);
    throw new PlanFileUnreadableError(filename, '压缩包中没有 Word 文档或 Excel 工作簿');
  }
  if (looksLikeText(data)) return 'text';
  throw new PlanFileTypeError(filename, null);
}

const startsWith = (data: Buffer, magic: Buffer) => data.length >= magic.length && data.subarray(0, magic.length).equals(magic);

/**
 * The names in a ZIP's central directory (APPNOTE 4.3.12/4.3.16), read from the end-of-central-
 * directory record; null when the directory is not where the record says (a truncated or damaged file).
 */
function zipEntryNames(data: Buffer): Set<string> | null {
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
  const names = new Set<string>();
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = data.readUInt16LE(at + 28);
    const extra = data.readUInt16LE(at + 30);
    const comment = data.readUInt16LE(at + 32);
    if (at + 46 + nameLength > data.length) return null;
    names.add(data.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extra + comment;
  }
  return names;
}

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

async function readWorkbook(data: Buffer): Promise<PlanDocument> {
  const workbook = new ExcelJS.Workbook();
  // exceljs declares its own Buffer type; the bytes are what it reads.
  await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
  const blocks: PlanBlock[] = [];
  workbook.eachSheet((sheet) => {
    const rows: string[][] = [];
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const cells: string[] = [];
      // A merged cell's value is its master's (exceljs), so the text spreads over what it covers.
      for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellText(row.getCell(c).value));
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
  const width = Math.max(...rows.map((row) => row.length));
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

async function readWordDocument(data: Buffer): Promise<PlanDocument> {
  const { value: html } = await mammoth.convertToHtml({ buffer: data });
  const blocks: PlanBlock[] = [];
  const walk = (nodes: DefaultTreeAdapterTypes.ChildNode[]) => {
    for (const child of nodes) {
      if (!isElement(child)) continue;
      if (child.tagName === 'table') {
        const rows = tableRows(child);
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
 * rowspan/colspan covers; rows padded to the widest with ''.
 */
function tableRows(table: Element): string[][] {
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
      for (let dr = 0; dr < rowspan; dr++) for (let dc = 0; dc < colspan; dc++) grid[r + dr]![c + dc] = text;
      c += colspan;
    }
  });
  const width = Math.max(0, ...grid.map((row) => row.length));
  return grid.map((row) => Array.from({ length: width }, (_, c) => row[c] ?? ''));
}
