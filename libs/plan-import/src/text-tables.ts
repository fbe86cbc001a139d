import { findDeadlines, LONG_TERM } from './deadlines.js';
import type { PlanBlock, PlanDocument, PlanTable } from './document.js';
import { type ColumnKind, continuesHeader, headerKind, isHeaderRow, UNIT_END } from './tables.js';
import { fold } from './text.js';

/** A table found in the text: its rows, and the index of the first line after it. */
interface Found {
  table: PlanTable;
  next: number;
}

/** One row's cells read from the text at a line, and the line after them; null when the line is not of the form. */
type LineCells = { cells: string[]; next: number } | null;

const blank = (line: string | undefined) => line === undefined || line.trim() === '';
const ASCII_WORD = /[A-Za-z0-9]/;
const IDEOGRAPH = /[\u3400-\u9fff]/;
/** A 序号 cell: the row numbers a table counts its rows by. */
const ROW_NUMBER = /^(\d{1,4})[.、．]?$/;
/** A section heading in a row of its own (`一、深化改革`, merged across the table in the original). */
const SECTION_HEADING = /^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])/;
/** How far a quoted cell (Excel), a key/value record's value or a cell cut by line breaks may run over lines. */
const MAX_CELL_LINES = 50;
/**
 * A header written one cell per line or paragraph has at most this many cells: reading a run
 * of header words stops there, so text of nothing but header words is read in linear time.
 */
const MAX_COLUMNS = 30;

const rowNumber = (cell: string | undefined): number | null => {
  const m = ROW_NUMBER.exec(fold(cell ?? '').trim());
  return m ? +m[1]! : null;
};

const isSectionHeading = (cell: string) => SECTION_HEADING.test(fold(cell.trim()));

/** A row that is only a section heading, written once: spread over the table as a merged cell is. */
const sectionRow = (cells: readonly string[], width: number): string[] | null => {
  const filled = cells.filter((c) => !blank(c));
  return filled.length === 1 && isSectionHeading(filled[0]!) ? Array<string>(width).fill(filled[0]!.trim()) : null;
};

const OWNER: ReadonlySet<ColumnKind | null> = new Set(['lead', 'co', 'unit', 'owners']);

/**
 * A cell copied out of a PDF, its line wraps (a break or a stray space) undone: Chinese takes no
 * space at a wrap, two Latin words keep one. In a unit column a break right after a unit's
 * last character (局, 委, 中心, 政府…) before another name may separate two units: it is kept
 * as a line break (which tables.ts reads as a separator), while `市发展改 革委` is joined.
 */
export function joinWraps(cell: string, kind: ColumnKind | null): string {
  return cell.trim().replace(/\s+/g, (ws: string, at: number, s: string) => {
    const before = s[at - 1] ?? '';
    const after = s[at + ws.length] ?? '';
    if (ASCII_WORD.test(before) && ASCII_WORD.test(after)) return ' ';
    if (OWNER.has(kind) && IDEOGRAPH.test(after) && UNIT_END.test(fold(s.slice(at > 2 ? at - 2 : 0, at)))) return '\n';
    return '';
  });
}

// ---- aligning a row whose cell count does not match its header ----

/** Units, or the places a task falls to (崇川经济开发区, 相关街道, 各镇): each piece names one. */
const unitsInFolded = (f: string) => {
  // A loop, not filter and every: every cell of a rebuilt table is asked this under several spans.
  let units = 0;
  for (const u of f.split(/[、,;\s]+/)) {
    if (u.length === 0) continue;
    if (!(UNIT_END.test(u) || PLACE_END.test(u) || GROUP_START.test(u))) return false;
    units++;
  }
  return units > 0;
};
const PLACE_END = /(?:区|街道|镇|乡)$/;
const GROUP_START = /^(?:各|相关)/;
const deadlineInFolded = (f: string) => findDeadlines(f, 2000).length > 0 || LONG_TERM.test(f);
const hasDeadline = (text: string) => deadlineInFolded(fold(text));

/** What a cell's text holds, read once however many columns it is tried under. */
interface Looks {
  number: boolean;
  deadline: boolean;
  units: boolean;
  short: boolean;
}
const looksOf = (text: string): Looks => {
  // Folded once: a cell is tried in several runs and columns while its row is aligned.
  const f = fold(text);
  return { number: ROW_NUMBER.test(f.trim()), deadline: deadlineInFolded(f), units: unitsInFolded(f), short: text.length < 16 };
};

/**
 * How well a cell fits a column: what the header promises (a number, units, a person, a date)
 * against what the text holds.
 */
function fit(looks: Looks, kind: ColumnKind | null): number {
  if (kind === 'number') return looks.number ? 4 : -4;
  if (looks.number) return -2;
  if (kind === 'deadline') return looks.deadline ? 3 : -2;
  if (OWNER.has(kind)) return looks.units ? 2 : -1;
  // A leader is a person: a short name, never a unit.
  if (kind === 'leader') return looks.units ? -2 : looks.short ? 1 : -1;
  if (kind === 'task') return looks.units || (looks.deadline && looks.short) ? -1 : 1;
  return 0;
}

/** No placement yet: below any score. */
const UNREACHED = -Infinity;

/** A row with far more cells than its header is not aligned cell by cell: its extra cells join the last column. */
const MAX_EXTRA = 3;
/** At most this many cells are taken as one (a cell a PDF cut in pieces); keeps aligning linear in the row. */
const MAX_PIECES = 4;

/**
 * The row's cells placed under its header's columns in order, each column taking a run of
 * cells (none when one is missing, several when a cell was cut in two), so the cells fit their
 * columns best; on a tie the missing column is the later one. Returns the row, per column
 * how many cells it took, and how well they fit.
 */
export function align(cells: readonly string[], kinds: ReadonlyArray<ColumnKind | null>): { row: string[]; taken: number[]; score: number } {
  const n = kinds.length;
  const k = cells.length;
  if (k > n + MAX_EXTRA) {
    const taken = [...Array<number>(n - 1).fill(1), k - n + 1];
    return { row: [...cells.slice(0, n - 1), cells.slice(n - 1).join('\n')], taken, score: -Infinity };
  }
  // Flat tables, no closures: a PDF copy aligns every row of a long table, and the nested
  // arrays and joins built per row were most of its time. Nor globals (Math, Array, Infinity):
  // in a vm context (jest) each is looked up through the context's interceptor, which cost
  // more than the alignment. looks[to * W + size]: the `size` cells before `to` taken as one.
  const W = MAX_PIECES + 1;
  const looks: Looks[] = [];
  for (let to = 1; to <= k; to++) {
    let text = cells[to - 1]!;
    looks[to * W + 1] = looksOf(text);
    const most = to < MAX_PIECES ? to : MAX_PIECES;
    for (let size = 2; size <= most; size++) {
      text = `${cells[to - size]!}\n${text}`;
      looks[to * W + size] = looksOf(text);
    }
  }
  // best[j * K + i]: the best score for the first i cells under the first j columns; from: where its last run starts.
  const K = k + 1;
  const best: number[] = [0];
  const from: number[] = [0];
  for (let x = 1; x < (n + 1) * K; x++) {
    best.push(UNREACHED);
    from.push(0);
  }
  for (let j = 1; j <= n; j++) {
    const kind = kinds[j - 1] ?? null;
    for (let i = 0; i <= k; i++) {
      for (let s = i > MAX_PIECES ? i - MAX_PIECES : 0; s <= i; s++) {
        const score = s === i ? -2 : fit(looks[i * W + i - s]!, kind) - (3 * (i - s - 1) + 0.001 * (j - 1) * (i - s));
        const value = best[(j - 1) * K + s]! + score;
        if (value > best[j * K + i]!) {
          best[j * K + i] = value;
          from[j * K + i] = s;
        }
      }
    }
  }
  const row: string[] = [];
  const taken: number[] = [];
  for (let j = n, i = k; j > 0; j--) {
    const s = from[j * K + i]!;
    row.push(s + 1 === i ? cells[s]! : cells.slice(s, i).join('\n'));
    taken.push(i - s);
    i = s;
  }
  return { row: row.reverse(), taken: taken.reverse(), score: best[n * K + k]! };
}

/** How many of a row's cells there are up to its last filled one (at least one). */
function lastFilled(cells: readonly string[]): number {
  let n = cells.length;
  while (n > 1 && blank(cells[n - 1])) n--;
  return n;
}

/** How well a row's cells fit their columns as written, one cell a column: align's score of that placement. */
const asWritten = (cells: readonly string[], kinds: ReadonlyArray<ColumnKind | null>) =>
  cells.reduce((sum, c, i) => sum + fit(looksOf(c), kinds[i] ?? null) - 0.001 * i, 0);

const headerName = (cell: string) => `“${cell.replace(/\s+/g, '')}”`;

/**
 * The table from its header rows and data rows, every row as wide as the header; a row with
 * fewer or more cells is aligned (see align) and named in `problems`, by its 序号 when it has
 * one, so the preview asks a person to check it instead of the columns shifting silently. A
 * row whose count matches only by empty cells at its end (a closing bar, `||`) is such a row
 * when its filled cells fit the columns better aligned than as written.
 */
function settle(header: string[][], rows: string[][], clean: (cell: string, kind: ColumnKind | null) => string = (c) => c.trim()): PlanTable {
  const names = header[header.length - 1]!;
  const kinds = names.map(headerKind);
  const width = names.length;
  const problems: { row: number; message: string }[] = [];
  const settled = rows.map((all, r) => {
    let end = all.length;
    while (end > width && blank(all[end - 1])) end--;
    let cells = all.slice(0, end);
    if (cells.length === width) {
      const filled = lastFilled(cells);
      if (filled === width || asWritten(cells, kinds) >= align(cells.slice(0, filled), kinds).score) return cells.map((c, i) => clean(c, kinds[i] ?? null));
      cells = cells.slice(0, filled);
    }
    const { row, taken } = align(cells, kinds);
    const n = kinds[0] === 'number' ? rowNumber(cells[0]) : null;
    const number = n !== null ? `第${n}项` : `表格第${header.length + r + 1}行`;
    // The columns left empty (a short row) or given several cells (a long one), named by a loop:
    // a PDF copy has a message for every row.
    const short = cells.length < width;
    let named = '';
    for (let i = 0; i < taken.length; i++) if (short ? taken[i] === 0 : taken[i]! > 1) named += headerName(names[i]!);
    const message = short
      ? `${number}少了${width - cells.length}个单元格，已按内容对齐，${named}一栏留空；请核对`
      : `${number}多了${cells.length - width}个单元格，已按内容并入${named}一栏；请核对`;
    problems.push({ row: header.length + r, message });
    return row.map((c, i) => clean(c, kinds[i] ?? null));
  });
  const table: PlanTable = { kind: 'table', rows: [...header.map((h) => h.map((c) => clean(c, null))), ...settled] };
  return problems.length > 0 ? { ...table, problems } : table;
}

// ---- tables one row per line: tab-separated and |-separated ----

/**
 * One tab-separated row, as Excel copies it: a cell holding line breaks or quotes arrives
 * quoted (`"甲\n乙"`, `""` for `"`). A quote that does not close such a cell is text.
 */
function tabRecord(lines: readonly string[], at: number): LineCells {
  if (!lines[at]!.includes('\t')) return null;
  const cells: string[] = [];
  let line = at;
  let text = lines[at]!;
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let l = line;
      let t = text;
      let j = i + 1;
      let end = -1;
      while (l - line <= MAX_CELL_LINES) {
        const q = t.indexOf('"', j);
        if (q < 0) {
          value += `${t.slice(j)}\n`;
          if (++l >= lines.length) break;
          t = lines[l]!;
          j = 0;
        } else if (t[q + 1] === '"') {
          value += `${t.slice(j, q)}"`;
          j = q + 2;
        } else {
          if (q + 1 === t.length || t[q + 1] === '\t') end = q + 1;
          value += t.slice(j, q);
          break;
        }
      }
      if (end >= 0) {
        cells.push(value);
        line = l;
        text = t;
        if (end === text.length) break;
        i = end + 1;
        continue;
      }
    }
    const tab = text.indexOf('\t', i);
    if (tab < 0) {
      cells.push(text.slice(i));
      break;
    }
    cells.push(text.slice(i, tab));
    i = tab + 1;
  }
  return { cells: cells.map((c) => c.trim()), next: line + 1 };
}

/**
 * A reader of `|`-separated lines (a web page's table; `｜` alike). Whether the table draws
 * bars at its ends is read from its header line: then a line's outer bars are dropped; else a
 * bar at a line's end stands before an empty last cell.
 */
function pipeReader(header: string): (lines: readonly string[], at: number) => LineCells {
  const h = fold(header).trim();
  const outer = h.startsWith('|') || h.endsWith('|');
  return (lines, at) => {
    const raw = lines[at]!.trim();
    const f = fold(raw);
    if (!f.includes('|')) return null;
    const cells: string[] = [];
    let start = 0;
    for (let i = 0; i < f.length; i++) {
      if (f[i] === '|') {
        cells.push(raw.slice(start, i).trim());
        start = i + 1;
      }
    }
    cells.push(raw.slice(start).trim());
    if (f.startsWith('|')) cells.shift();
    if (f.endsWith('|') && (outer || f.startsWith('|'))) cells.pop();
    // A markdown separator row |---|:--:| draws the grid and holds no cells.
    return { cells: cells.every((c) => /^:?-{2,}:?$/.test(c)) ? [] : cells, next: at + 1 };
  };
}

/**
 * A table whose rows are lines in one form (tab- or |-separated). It starts at a header row
 * (possibly below a top header row such as 责任分工), then takes data lines; a line with fewer
 * cells than the header continues the row above when it does not start a new numbered row
 * (a cell holding a line break), and a line of the form's own with only a section heading
 * (`一、深化改革`) is a section row. The table ends at a blank line or at a line of other text
 * once its last row is complete.
 */
function lineTable(lines: readonly string[], at: number, read: (lines: readonly string[], at: number) => LineCells): Found | null {
  const first = read(lines, at);
  if (!first || first.cells.length < 2) return null;
  const header: string[][] = [first.cells];
  let next = first.next;
  if (!isHeaderRow(first.cells)) {
    // Only a row of header words has a header row below it: the lines below are read (an
    // Excel cell's quote may look 50 lines ahead) only then.
    if (!continuesHeader(first.cells, [])) return null;
    const below = next < lines.length ? read(lines, next) : null;
    const second = below && below.cells.length === 0 && below.next < lines.length ? read(lines, below.next) : below;
    if (!second || !isHeaderRow(second.cells)) return null;
    header.push(second.cells);
    next = second.next;
  }
  // Empty cells at the end of every header row (a selection one column too wide) are no column.
  let width = Math.max(...header.map((h) => h.length));
  while (width > 1 && header.every((h) => blank(h[width - 1]))) width--;
  const numbered = headerKind(header[header.length - 1]![0] ?? '') === 'number';
  const rows: string[][] = [];
  let glued = 0;
  while (next < lines.length) {
    const line = lines[next]!;
    if (blank(line)) break;
    const record = read(lines, next);
    const last = rows[rows.length - 1];
    const open = last !== undefined && last.length < width && glued < MAX_CELL_LINES;
    if (!record && !open) {
      // Text between two rows of the table: a section heading, or the rest of the last row's
      // last cell (a line break in it); text after the table's last row ends it.
      const section = sectionRow([line], width);
      const after = next + 1 < lines.length ? read(lines, next + 1) : null;
      if (!after || after.cells.length === 0 || (!section && (!last || glued >= MAX_CELL_LINES || rowNumber(after.cells[0]) === null))) break;
      if (section) rows.push(section);
      else {
        last![last!.length - 1] = `${last![last!.length - 1]!}\n${line.trim()}`;
        glued++;
      }
      next++;
      continue;
    }
    const cells = record?.cells ?? [line.trim()];
    next = record?.next ?? next + 1;
    if (cells.length === 0) continue;
    if (rows.length === 0 && continuesHeader(cells, header[header.length - 1]!) && rowNumber(cells[0]) === null) {
      header.push(cells);
      continue;
    }
    const section = open ? null : sectionRow(cells, width);
    if (section) rows.push(section);
    else if (open && !(numbered && rowNumber(cells[0]) !== null)) {
      last[last.length - 1] = `${last[last.length - 1]!}\n${cells[0]!}`;
      last.push(...cells.slice(1));
      glued++;
    } else {
      rows.push(cells);
      glued = 0;
    }
  }
  return {
    table: settle(
      header.map((h) => pad(h.slice(0, width), width)),
      rows,
    ),
    next,
  };
}

const pad = (row: string[], width: number) => (row.length >= width ? row : [...row, ...Array<string>(width - row.length).fill('')]);

// ---- tables one cell per line or per paragraph: ` |` line ends, PDF copies ----

/**
 * Rows rebuilt from a stream of cells: a row starts at its 序号 (the next number, or any number
 * for the first row and after a section heading), and a section heading is a row of its own.
 * Without a 序号 column the cells are cut by the header's width. A heading counts only when a row follows. `cell(k)` gives the k-th
 * cell or undefined past the end; reading stops where the table ends: at a cell that is
 * neither the next row number nor, within the next `width` cells, followed by one, once the
 * row has all its cells. Returns the rows and how many cells they used.
 */
function cellRows(cell: (k: number) => string | undefined, width: number, numbered: boolean): { rows: string[][]; used: number } {
  const rows: string[][] = [];
  let row: string[] | null = null;
  let expected: number | null = null;
  let k = 0;
  for (let c = cell(0); c !== undefined; c = cell(++k)) {
    if (isSectionHeading(c) && (row === null || row.length >= width - 1) && (!numbered || rowNumber(cell(k + 1)) !== null)) {
      rows.push(Array<string>(width).fill(c.trim()));
      row = null;
      expected = null;
      continue;
    }
    if (!numbered) {
      if (row === null || row.length >= width) {
        if (k + width > lookahead(cell, k, width)) break;
        rows.push((row = []));
      }
      row.push(c);
      continue;
    }
    const n = rowNumber(c);
    if (n !== null && (expected === null || n === expected)) {
      rows.push((row = [c]));
      expected = n + 1;
      continue;
    }
    if (row === null) break;
    if (row.length >= width && !nextRowWithin(cell, k, width, expected)) break;
    row.push(c);
  }
  return { rows, used: k };
}

/** How many cells there are up to `k + width`, capped there: reads no further. */
function lookahead(cell: (k: number) => string | undefined, k: number, width: number): number {
  let end = k;
  while (end < k + width && cell(end) !== undefined) end++;
  return end;
}

function nextRowWithin(cell: (k: number) => string | undefined, k: number, width: number, expected: number | null): boolean {
  for (let j = k + 1; j <= k + width; j++) {
    const c = cell(j);
    if (c === undefined) return false;
    if (rowNumber(c) === expected || isSectionHeading(c)) return true;
  }
  return false;
}

/** A header cell written on its own line or paragraph: a header word on up to three lines, never a second 序号. */
const isHeaderCell = (text: string) => {
  if (lineCount(text) > 3) return false;
  const kind = headerKind(text);
  return kind !== null && kind !== 'number';
};

/** How many lines the text has, counted without splitting it. */
function lineCount(text: string): number {
  let n = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

/**
 * A header cell written on a line of its own (one line, so isHeaderCell's line count holds), or
 * the 序号 that may start the header: headerKind asked once, as every short line is tried.
 */
const isHeaderLine = (line: string, first: boolean) => {
  const kind = headerKind(line);
  return kind !== null && (kind !== 'number' || first);
};

/** The cell of a line that ends in ` |` and holds no other `|` but at its start; null otherwise. */
function lineCell(line: string): string | null {
  const t = line.trim();
  const f = fold(t);
  if (!f.endsWith('|')) return null;
  const body = f.startsWith('|') && f.length > 1 ? t.slice(1, -1) : t.slice(0, -1);
  return fold(body).includes('|') ? null : body.trim();
}

/**
 * A table written one cell per line, each ending in ` |`: the header's cells first, then the
 * cells in order; a cell that runs over lines ends at the line that ends in `|`.
 */
function lineCellTable(lines: readonly string[], at: number): Found | null {
  const header: string[] = [];
  let next = at;
  for (let c = lineCell(lines[next] ?? ''); c !== null && header.length < MAX_COLUMNS; c = lineCell(lines[++next] ?? '')) {
    if (!isHeaderLine(c, header.length === 0)) break;
    header.push(c);
  }
  if (header.length < 2 || !isHeaderRow(header)) return null;
  // Under a 序号 the header runs on to the first row number: a column named by no header word
  // (是否达序) is still a column, read past.
  if (headerKind(header[0]!) === 'number') {
    const more: string[] = [];
    let l = next;
    for (let c = lineCell(lines[l] ?? ''); c !== null && header.length + more.length < MAX_COLUMNS && rowNumber(c) === null; c = lineCell(lines[++l] ?? ''))
      more.push(c);
    if (more.length > 0 && rowNumber(lineCell(lines[l] ?? '') ?? '') !== null) {
      header.push(...more);
      next = l;
    }
  }
  for (let i = 0; i < header.length; i++) header[i] = joinWraps(header[i]!, null);
  const cells: string[] = [];
  const ends: number[] = [];
  let pending: string[] = [];
  for (let l = next; l < lines.length && !blank(lines[l]) && pending.length < MAX_CELL_LINES; l++) {
    const c = lineCell(lines[l]!);
    if (c === null) {
      pending.push(lines[l]!.trim());
      continue;
    }
    cells.push([...pending, c].join('\n'));
    ends.push(l + 1);
    pending = [];
  }
  const { rows, used } = cellRows((k) => cells[k], header.length, headerKind(header[0]!) === 'number');
  if (rows.length === 0) return null;
  return { table: settle([header], rows), next: used > 0 ? ends[used - 1]! : next };
}

/**
 * A table copied out of a PDF: one cell per paragraph, paragraphs apart by blank lines, the
 * header's cells first (each a header word, 责任\n单位 being one), then the cells in order.
 * Its first column must be 序号: only the row numbers tell its rows, and where it ends.
 * Line wraps inside a cell are undone (joinWraps). Text after the table's last complete row
 * stays paragraphs.
 *
 * Two habits of such copies are read as the table wrote them: a header cell cut in two
 * paragraphs (`区本级` over `任务数`) is one cell when the first is no header word and the two
 * joined are; and when the header's cells are apart by exactly one blank line, each further
 * blank line between two cells is an empty cell the copy left out (up to a row's width less one).
 */
function paragraphTable(lines: readonly string[], at: number): Found | null {
  if (blank(lines[at]) || (at > 0 && !blank(lines[at - 1]))) return null;
  // Paragraphs met so far: their text, the line after each and the blank lines before it.
  const paragraphs: Array<{ text: string; end: number; gap: number }> = [];
  let scan = at;
  const paragraph = (k: number): string | undefined => {
    while (paragraphs.length <= k && scan < lines.length) {
      const from = scan;
      while (scan < lines.length && blank(lines[scan])) scan++;
      if (scan >= lines.length) break;
      const start = scan;
      while (scan < lines.length && !blank(lines[scan])) scan++;
      paragraphs.push({ text: scan === start + 1 ? lines[start]! : lines.slice(start, scan).join('\n'), end: scan, gap: start - from });
    }
    return paragraphs[k]?.text;
  };
  const first = paragraph(0);
  if (first === undefined || lineCount(first) > 3 || headerKind(first) !== 'number') return null;
  const header = [first];
  let p = 1;
  while (header.length < MAX_COLUMNS) {
    const text = paragraph(p);
    if (text === undefined) break;
    if (isHeaderCell(text)) {
      header.push(text);
      p++;
      continue;
    }
    const below = paragraph(p + 1);
    const joined = below === undefined ? '' : `${text}${below}`;
    if (below === undefined || headerKind(text) !== null || rowNumber(text) !== null || !isHeaderCell(below) || !isHeaderCell(joined)) break;
    header.push(joined);
    p += 2;
  }
  if (!isHeaderRow(header)) return null;
  const width = header.length;
  const evenly = paragraphs.slice(1, p).every((q) => q.gap === 1);
  // The table's cells from paragraph p on, empty cells read from the extra blank lines.
  const cells: Array<{ text: string; end: number }> = [];
  let next = p;
  const cell = (k: number): string | undefined => {
    while (cells.length <= k && paragraph(next) !== undefined) {
      const q = paragraphs[next++]!;
      const before = cells[cells.length - 1]?.end ?? paragraphs[p - 1]!.end;
      const empty = evenly && cells.length > 0 ? (q.gap < width ? q.gap - 1 : width - 1) : 0;
      for (let e = 0; e < empty; e++) cells.push({ text: '', end: before });
      cells.push({ text: q.text, end: q.end });
    }
    return cells[k]?.text;
  };
  const { rows, used } = cellRows(cell, width, true);
  if (rows.length === 0) return null;
  const last = rows[rows.length - 1]!;
  const kept = lastRowCells(last, header.map(headerKind));
  const end = cells[used - (last.length - kept) - 1]!.end;
  last.length = kept;
  return { table: settle([header], rows, joinWraps), next: end };
}

/** A unit column's cell: units with the role words a table cell ends on (`市发改委牵头落实`, `…分别牵头落实`). */
const namesUnits = (text: string) => unitsInFolded(fold(text).replace(/(?:分别)?(?:牵头|负责|配合|主办|协办)?(?:落实|负责|承办|实施)?$/, ''));

/**
 * A table written one cell per line, without bars or blank lines (a Word table pasted as
 * text): the header's cells first, one header word a line, then the cells in order. Its last
 * column must hold units or deadlines, for a row ends at the cell that reads as one. A merged
 * cell is written once, on its first row: a row with fewer cells left them out at its start,
 * so they are the row above's, as the merged cell spans them. The table ends at a blank line or
 * where no such cell comes within a row's width.
 */
function lineRowsTable(lines: readonly string[], at: number): Found | null {
  const header: string[] = [];
  let next = at;
  for (let c = lines[next]?.trim(); c && header.length < MAX_COLUMNS; c = lines[++next]?.trim()) {
    if (!isHeaderLine(c, header.length === 0)) break;
    header.push(c);
  }
  if (header.length < 2 || !isHeaderRow(header)) return null;
  const last = headerKind(header[header.length - 1]!);
  const ends = OWNER.has(last) ? namesUnits : last === 'deadline' ? hasDeadline : null;
  if (!ends) return null;
  const width = header.length;
  const rows: string[][] = [];
  while (next < lines.length && !blank(lines[next])) {
    let end = next;
    while (end - next < width - 1 && end < lines.length && !blank(lines[end]) && !ends(lines[end]!.trim())) end++;
    if (end >= lines.length || blank(lines[end]) || !ends(lines[end]!.trim())) break;
    const cells = lines.slice(next, end + 1).map((l) => l.trim());
    const above = rows[rows.length - 1] ?? Array<string>(width).fill('');
    rows.push([...above.slice(0, width - cells.length), ...cells]);
    next = end + 1;
  }
  if (rows.length === 0) return null;
  return { table: settle([header], rows), next };
}

/** What a paragraph after the table costs to leave out of its last row, against how its cells fit. */
const LEFT_OUT = 1.5;

/**
 * How many of the last row's cells are the table's: nothing after the last row says where it
 * ends, and when it lacks a cell the paragraph after the table (`各地要抓好落实。`) would fill
 * it. Its cells and up to two fewer are aligned; the count whose cells fit best wins.
 */
function lastRowCells(row: readonly string[], kinds: ReadonlyArray<ColumnKind | null>): number {
  let kept = row.length;
  let best = -Infinity;
  for (let m = row.length; m >= Math.max(1, row.length - 2); m--) {
    const score = align(row.slice(0, m), kinds).score - LEFT_OUT * (row.length - m);
    if (score > best) [best, kept] = [score, m];
  }
  return kept;
}

// ---- a record written as key/value rows ----

const KEY_VALUE = /^\|?\s*([^|\t:]{1,20}?)\s*:\s*[|\t]\s*/d;

/**
 * Records written as key/value rows (`重点工作: | 135.… |`, `牵头单位: | … |`), one row per key;
 * a key met again starts the next record. The keys are the header, each record a row; a value
 * may run over lines up to the line ending in `|`. Records stop at the first that names no
 * task, so a run of such lines is read once.
 */
function keyValueTable(lines: readonly string[], at: number): Found | null {
  const keys: string[] = [];
  const records: Array<Map<string, string>> = [];
  let next = at;
  for (let l = at; l < lines.length;) {
    const raw = lines[l]!.trim();
    const m = KEY_VALUE.exec(fold(raw));
    if (!m) {
      if (blank(lines[l]) && records.length > 0 && l + 1 < lines.length && KEY_VALUE.test(fold(lines[l + 1]!.trim()))) {
        l++;
        continue;
      }
      break;
    }
    const [keyStart, keyEnd] = m.indices![1]!;
    const key = raw.slice(keyStart, keyEnd);
    if (headerKind(key) === null) break;
    const value = [raw.slice(m[0].length)];
    let end = l + 1;
    while (
      !fold(value[value.length - 1]!)
        .trimEnd()
        .endsWith('|') &&
      end < lines.length &&
      end - l < MAX_CELL_LINES &&
      !blank(lines[end]) &&
      !KEY_VALUE.test(fold(lines[end]!.trim()))
    ) {
      value.push(lines[end]!.trim());
      end++;
    }
    if (
      !fold(value[value.length - 1]!)
        .trimEnd()
        .endsWith('|')
    ) {
      value.length = 1;
      end = l + 1;
    }
    const text = value
      .join('\n')
      .trim()
      .replace(/[|｜]$/, '')
      .trim();
    let record = records[records.length - 1];
    if (!record || record.has(key)) {
      // The first record has all its keys once the second starts: no header, no table.
      if (record && !isHeaderRow(keys)) return null;
      records.push((record = new Map<string, string>()));
    }
    if (keys.length >= MAX_COLUMNS && !keys.includes(key)) break;
    record.set(key, text);
    if (!keys.includes(key)) keys.push(key);
    l = next = end;
  }
  if (records.length === 0 || !isHeaderRow(keys)) return null;
  return { table: { kind: 'table', rows: [keys, ...records.map((r) => keys.map((k) => r.get(k) ?? ''))] }, next };
}

/** Each form's detector, behind a test of the line as written that rules most lines out without folding them. */
const DETECTORS: ReadonlyArray<readonly [RegExp, (lines: readonly string[], at: number) => Found | null]> = [
  [/[:：]/, keyValueTable],
  [/[|｜]/, (lines, at) => lineTable(lines, at, pipeReader(lines[at]!))],
  [/\t/, (lines, at) => lineTable(lines, at, tabRecord)],
  [/[|｜]\s*$/, lineCellTable],
  [/^\s*\S.{0,20}$/, paragraphTable],
  [/^\s*\S.{0,20}$/, lineRowsTable],
];

/**
 * Plain text read into a document: tables that lost their grid are rebuilt from the text —
 * tab-separated (pasted from Excel or Word, Excel's quoted cells read), `|`-separated with
 * ragged blanks (a web page; `|---|` rows skipped), one cell per line ending in ` |`, one cell
 * per paragraph (a PDF), and key/value records. A table is found only where a header row
 * names a task column and a unit, deadline or 序号 column (tables.ts), so prose stays prose.
 * Every other line is a paragraph of its own, blank lines included, so that the paragraphs
 * joined by line breaks are the text as given and line numbers in warnings match it.
 */
export function readTextDocument(text: string): PlanDocument {
  const lines = text.split(/\r\n|\r|\n/);
  const blocks: PlanBlock[] = [];
  for (let at = 0; at < lines.length;) {
    let found: Found | null = null;
    // Indexed, not destructured: this runs for every line.
    for (let d = 0; d < DETECTORS.length; d++) if (DETECTORS[d]![0].test(lines[at]!) && (found = DETECTORS[d]![1](lines, at)) && found.next > at) break;
    if (found && found.next > at) {
      blocks.push(found.table);
      at = found.next;
    } else blocks.push({ kind: 'paragraph', text: lines[at++]! });
  }
  return { blocks };
}
