import type { PlanTable } from './document.js';
import { lineNumber } from './numbering.js';
import { type Span, fold, span } from './text.js';
import type { PlanItem } from './types.js';

/**
 * What a table column holds, read from its header. `unit` is 责任单位/责任部门: the lead when it is
 * the table's only unit column, the co-units beside a 牵头单位 column. `owners` holds both (牵头及配合单位),
 * told apart by the role words in each cell. `leader`, `progress` and `remarks` are read past:
 * a leader is a person, not a unit, and progress is not part of the plan.
 */
export type ColumnKind = 'number' | 'section' | 'task' | 'target' | 'lead' | 'co' | 'unit' | 'owners' | 'deadline' | 'leader' | 'progress' | 'remarks';

/**
 * Header words, tried in order against the folded header without blanks or a bracketed note
 * (完成时限（2024年） is 完成时限): the first that matches names the column. Order matters where
 * words share characters: 牵头领导 is a leader before 牵头 is a lead, 完成情况 is progress
 * while 完成时限 is a deadline, 目标任务 is a target before 任务 is a task.
 */
const HEADER_WORDS: ReadonlyArray<readonly [ColumnKind, RegExp]> = [
  ['number', /^(?:序号|编号|序|号|No\.?)$/i],
  ['leader', /领导|责任人|负责人|联系人|牵头人/],
  ['remarks', /^(?:备注|说明|备考)$/],
  ['owners', /(?:牵头|主办|主责).*(?:配合|协办|参与|协同)/],
  ['co', /配合|协办|参与|协同|协助|会办|协作/],
  ['lead', /牵头|主办|主责|负责单位|负责部门/],
  ['unit', /责任单位|责任部门|责任主体|责任处室|实施单位|实施主体|承办单位|落实单位|责任分工|^(?:单位|部门)$/],
  ['deadline', /时限|时间|节点|期限|日期|截止|进度安排/],
  ['progress', /进展|进度|完成情况|推进情况|落实情况|存在问题|问题|成效|下一步/],
  ['task', /工作任务|重点工作|主要任务|重点任务|具体措施|工作措施|工作内容|任务内容|主要内容/],
  ['target', /目标|指标|任务数/],
  ['section', /^(?:类别|分类|领域|重点领域|板块|工作板块|工作类别|任务类别|专项|方面|类型)$/],
  ['task', /任务|工作|措施|内容|事项|举措|要求|项目|要点|名称/],
];

/** A header is a few words: longer text in a cell is data, whatever words it holds. */
const MAX_HEADER = 14;

/**
 * Text that holds header words but is data: a unit (市发改委牵头) or a task (推进重点工作). Header
 * words name no unit and start with no verb — but for a progress column named by its verb
 * (推进情况, 落实情况, 实施进度).
 */
const NOT_HEADER =
  /^(?:市|县|区|省)|局|委|厅|署|政府|中心|^(?:推进|推动|完善|加强|开展|建设|建立|落实|深化|提升|加快|健全|强化|优化|实施|组织|做好|抓好|持续|全面|积极|扎实|进一步)(?!(?:情况|进度|进展)$)/;

/**
 * The folded header without blanks, a trailing bracketed note or numbering quirks: `责任\n单位`
 * is 责任单位. A target column may be dated by the plan's year or say whose share it holds
 * (沙坪坝区2022年目标任务分解表: `2022年预期目标`; 龙湾区责任分解: `区本级任务数`): the year
 * or level before a target word is dropped, as is the period a progress report covers
 * (崇川区民生实事推进情况: `1-10月推进情况`). Before other words they stay, so a title line such
 * as `2017年政务公开工作要点` is no header.
 */
const headerKey = (cell: string) => {
  // Each rewrite is tried only where it can apply: most cells asked about are data, and text
  // tables ask about every short line, so four replacements each were much of a parse's time.
  let key = fold(cell);
  if (/\s/.test(key)) key = key.replace(/\s+/g, '');
  if (key.includes('(')) key = key.replace(/^\((.*)\)$/, '$1').replace(/\([^()]*\)$/, '');
  if (/(?:目标|指标|任务数)$/.test(key)) key = key.replace(/^(?:(?:19|20)\d{2}年度?|(?:省|市|县|区)本?级)(?=\D{0,4}(?:目标|指标|任务数)$)/, '');
  if (/(?:进展|进度|情况)$/.test(key)) key = key.replace(/^(?:(?:19|20)\d{2}年)?\d{1,2}(?:[-~至]\d{1,2})?月份?(?=\D{0,4}(?:进展|进度|情况)$)/, '');
  return key;
};

/** The kind of column a header cell names, or null when it is not a header word. */
export function headerKind(cell: string): ColumnKind | null {
  const key = headerKey(cell);
  if (!key || key.length > MAX_HEADER || /[。,;:!?、\d]/.test(key) || NOT_HEADER.test(key)) return null;
  for (const [kind, re] of HEADER_WORDS) if (re.test(key)) return kind;
  return null;
}

const OWNER_KINDS: ReadonlySet<ColumnKind> = new Set(['lead', 'co', 'unit', 'owners']);
const ROW_KINDS: ReadonlySet<ColumnKind> = new Set(['number', 'deadline', ...OWNER_KINDS]);

/**
 * Whether a row of cells is a table's header: it names a task (or target) column and at least
 * one column that makes it a responsibility list (序号, a unit column or a deadline).
 */
export function isHeaderRow(cells: readonly string[]): boolean {
  const kinds = cells.map(headerKind);
  return kinds.some((k) => k === 'task' || k === 'target') && kinds.some((k) => k !== null && ROW_KINDS.has(k));
}

/** Rows at the top of a table where its header may start, below a caption or two. */
const HEADER_SEARCH = 10;

interface Header {
  /** Index of the first row after the header. */
  body: number;
  /** The header's rows, one or more. */
  rows: string[][];
  kinds: Array<ColumnKind | null>;
  /** Texts of the caption rows above the header (a title spanning the table). */
  captions: string[];
}

const blank = (cell: string) => cell.trim() === '';

/**
 * A row below the header row that continues it: a multi-row header (责任分工 above 牵头单位 and
 * 配合单位). Every cell it fills is a header word or repeats the header above (a merged cell).
 */
export function continuesHeader(row: readonly string[], above: readonly string[]): boolean {
  return row.some((c) => !blank(c)) && row.every((c, i) => blank(c) || c === above[i] || headerKind(c) !== null);
}

/**
 * Column kinds of a table: the finest header row that names a column wins (牵头单位 under
 * 责任分工), and a header split over two rows without a merge (责任 / 单位) is read joined.
 */
function readHeader(rows: readonly string[][]): Header | null {
  const start = rows.slice(0, HEADER_SEARCH).findIndex(isHeaderRow);
  if (start < 0) return null;
  let body = start + 1;
  while (body < rows.length && continuesHeader(rows[body]!, rows[body - 1]!)) body++;
  const width = Math.max(...rows.map((r) => r.length));
  const kinds: Array<ColumnKind | null> = [];
  for (let c = 0; c < width; c++) {
    const texts: string[] = [];
    for (let r = start; r < body; r++) {
      const cell = rows[r]![c] ?? '';
      if (!blank(cell) && cell !== texts[texts.length - 1]) texts.push(cell);
    }
    const named = texts.map(headerKind).filter((k): k is ColumnKind => k !== null);
    kinds.push(named[named.length - 1] ?? headerKind(texts.join('')));
  }
  if (!kinds.includes('lead') && !kinds.includes('owners')) {
    const first = kinds.indexOf('unit');
    if (first >= 0) kinds[first] = 'lead';
  }
  if (!kinds.includes('task')) {
    const target = kinds.indexOf('target');
    if (target >= 0) kinds[target] = 'task';
  }
  const captions = rows.slice(0, start).flatMap((row) => {
    const filled = [...new Set(row.filter((c) => !blank(c)).map((c) => c.trim()))];
    return filled.length === 1 ? filled : [];
  });
  return { body, rows: rows.slice(start, body), kinds: kinds.map((k) => (k === 'unit' ? 'co' : k)), captions };
}

/** Builds an item from its number, section and text the way prose items are built (parse.ts). */
export type BuildItem = (number: string, section: string | null, text: Span, year: number) => PlanItem;

export interface TableReading {
  items: PlanItem[];
  warnings: string[];
  /** Title rows spanning the table above its header, for a document with no title paragraph. */
  captions: string[];
}

export const NO_TASK_COLUMN = '表格没有可识别的任务列（需要“工作任务”“重点工作”等表头）';

/** A unit's last characters, or a role word: a break after them separates two units. */
export const UNIT_END = /(?:局|委|办|厅|部|署|院|会|中心|政府|公司|集团|行|所|站|队|处|室|社|馆|台|团|组|牵头|配合|负责|参与|协办|主办)$/;
const ASCII_WORD = /[A-Za-z0-9]/;

/**
 * An owner cell as one list: units one per line (`市发展改革委\n市财政局`) or set apart by
 * blanks are separate units, while a break inside a name (`各县（市、区）\n人民政府`, a wrapped
 * `市发展和改革\n委员会`) is joined.
 */
export function ownerList(cell: string): string {
  const pieces = cell.trim().split(/\s+/);
  let out = pieces[0] ?? '';
  for (const piece of pieces.slice(1)) {
    const before = out[out.length - 1] ?? '';
    if (/[、,，;；]/.test(before)) out += piece;
    else if (ASCII_WORD.test(before) && ASCII_WORD.test(piece[0]!)) out += ` ${piece}`;
    else out += UNIT_END.test(fold(out)) ? `、${piece}` : piece;
  }
  return out;
}

/** Labels an owner or deadline cell as prose would (牵头单位：…), so owners.ts reads it the same way. */
const LABEL: Readonly<Partial<Record<ColumnKind, string>>> = { lead: '牵头单位：', co: '配合单位：', owners: '责任单位：', deadline: '完成时限：' };

const CN_HEADING = /^(?:[一二三四五六七八九十]+[、.．]?|[(（][一二三四五六七八九十]+[)）])$/;

/** A heading's text without its number: `一、深化改革` → 深化改革. */
function headingOf(text: string): string {
  const t = text.trim();
  const n = lineNumber(fold(t));
  const rest = (n ? t.slice(n.length) : t).trim().replace(/[。.]$/, '');
  return rest || t;
}

/** The item's number and task text: the 序号 cell, or else the number the task text starts with (`135.…`). */
function numbered(numberCell: string, task: string): { number: string; task: string } {
  const t = task.trim();
  if (numberCell.trim()) return { number: numberCell.trim(), task: t };
  const n = lineNumber(fold(t));
  return n ? { number: t.slice(0, n.length), task: t.slice(n.length).trim() } : { number: '', task: t };
}

const targetsOf = (cell: string) =>
  cell
    .split(/[\n;；]/)
    .map((t) => t.trim().replace(/[。.]$/, ''))
    .filter((t) => t.length > 0);

/** Whether the row's filled cells hold at most one text (trimmed). */
function oneText(row: readonly string[]): boolean {
  let text: string | null = null;
  for (const c of row) {
    if (blank(c)) continue;
    const t = c.trim();
    if (text === null) text = t;
    else if (t !== text) return false;
  }
  return true;
}

/** Rows of one item as one row: a cell the rows share once, the others line by line. */
function joinRows(rows: readonly string[][]): string[] {
  const width = Math.max(...rows.map((row) => row.length));
  return Array.from({ length: width }, (_, c) => [...new Set(rows.map((x) => (x[c] ?? '').trim()))].filter((t) => t !== '').join('\n'));
}

/**
 * Rows that share one merged item cell, joined into one row: a table gives an item several
 * rows (sub-tasks, steps, a deadline each) under one merged 序号 or task cell, or under a
 * merged cell to the left of the task that starts with the item's number (`17.实行…`); a
 * merged cell without a number is a section instead (重点任务 over its 具体措施). Rows with
 * numbers of their own (a 序号 or a task text each) stay items. The joined row keeps a
 * cell the rows share once and joins the others line by line. Rows spanning the table
 * (section headings) or repeating the header (a page break) join nothing. `at` is each
 * joined row's first row in the table.
 */
function itemRows(
  rows: readonly string[][],
  from: number,
  numberColumn: number,
  task: number,
  groups: readonly number[],
  repeatsHeader: (row: readonly string[]) => boolean,
): Array<{ row: string[]; at: number }> {
  const cellOf = (r: number, c: number) => (rows[r]?.[c] ?? '').trim();
  const numberedText = (text: string) => (lineNumber(fold(text))?.rank ?? 0) >= 3;
  const namesItem = (r: number, c: number) => c >= 0 && cellOf(r, c) !== '' && (c === numberColumn || c === task || numberedText(cellOf(r, c)));
  /** Row r spans the table (one text in all its filled cells) or repeats the header; read once a row, as each row is asked twice. */
  const spanning: Array<boolean | undefined> = [];
  const spans = (r: number) => (spanning[r] ??= oneText(rows[r]!) || repeatsHeader(rows[r]!));
  /** Row s is row r's item continued: they share a cell naming the item, and s has no number of its own. */
  const continues = (r: number, s: number) =>
    !spans(s) &&
    [numberColumn, task, ...groups].some(
      (c) =>
        namesItem(r, c) &&
        cellOf(s, c) === cellOf(r, c) &&
        (numberColumn < 0 || cellOf(s, numberColumn) === cellOf(r, numberColumn)) &&
        (cellOf(s, task) === cellOf(r, task) || lineNumber(fold(cellOf(s, task))) === null),
    );
  const out: Array<{ row: string[]; at: number }> = [];
  for (let r = from; r < rows.length;) {
    let end = r + 1;
    if (!spans(r)) while (end < rows.length && continues(r, end)) end++;
    out.push({ row: end - r > 1 ? joinRows(rows.slice(r, end)) : [...rows[r]!], at: r });
    r = end;
  }
  return out;
}

/**
 * Items of one table, rows in order. Columns are recognised by their header words (see
 * HEADER_WORDS); each row below the header is an item (rows under one merged item cell are
 * one, see itemRows): its task text is the body, its owner
 * cells are read by owners.ts as the labels 牵头单位/配合单位 would be (role words, fan-out
 * phrases such as 各县（市、区）政府, leaders dropped), its deadline cell by deadlines.ts with the
 * plan year, its target cell gives the targets. A row spanning the table (`一、深化改革` in every
 * cell) or numbered 一、二… without owners is a section heading for the rows below; a row that
 * repeats the header (a page break) is skipped. Rows left or right of the task column that
 * also hold task words (重点任务 beside 具体措施) are a section when merged over several rows, and
 * the start of the item's text otherwise. A table without a task column gives no items and the
 * warning NO_TASK_COLUMN; `table.problems` are for the caller to report.
 */
export function readTable(table: PlanTable, year: number, build: BuildItem): TableReading {
  const rows = table.rows;
  const header = readHeader(rows);
  if (!header) return { items: [], warnings: [NO_TASK_COLUMN], captions: [] };
  const { kinds } = header;
  const columns = (kind: ColumnKind) => kinds.flatMap((k, i) => (k === kind ? [i] : []));
  const tasks = columns('task');
  const task = tasks[tasks.length - 1]!;
  const groups = [...columns('section'), ...tasks.slice(0, -1)];
  const numberColumn = kinds.indexOf('number');
  const owners = kinds.flatMap((k, i) => (k !== null && OWNER_KINDS.has(k) ? [i] : []));
  const deadlines = columns('deadline');
  const targets = columns('target');
  const repeatsHeader = (row: readonly string[]) => header.rows.some((h) => row.every((c, i) => c === (h[i] ?? '')));
  const items: PlanItem[] = [];
  const warnings: string[] = [];
  let section: string | null = null;
  const body = itemRows(rows, header.body, numberColumn, task, groups, repeatsHeader);
  for (let b = 0; b < body.length; b++) {
    const { row, at: r } = body[b]!;
    const cell = (c: number) => row[c] ?? '';
    const filled = row.filter((c) => !blank(c));
    if (filled.length === 0 || repeatsHeader(row)) continue;
    const numberCell = numberColumn >= 0 ? cell(numberColumn).trim() : '';
    const unowned = owners.every((c) => blank(cell(c))) && deadlines.every((c) => blank(cell(c)));
    const spans = oneText(filled) && (filled.length > 1 || (lineNumber(fold(filled[0]!.trim()))?.rank ?? 9) <= 2);
    if (spans || (CN_HEADING.test(numberCell) && unowned)) {
      section = headingOf(spans ? filled[0]! : blank(cell(task)) ? numberCell : cell(task));
      continue;
    }
    if (blank(cell(task))) {
      if (!unowned) warnings.push(`表格第${r + 1}行没有任务内容，已略过`);
      continue;
    }
    const merged = (c: number) => !blank(cell(c)) && (body[b - 1]?.row[c] === cell(c) || body[b + 1]?.row[c] === cell(c));
    const group = groups.find(merged);
    const lead = groups
      .filter((c) => !merged(c) && !blank(cell(c)))
      .map((c) =>
        cell(c)
          .trim()
          .replace(/[。:：]$/, ''),
      );
    // The number is the 序号's, else the task's own, else the one the cell left of it starts with (`17.…`).
    const own = numbered(numberCell, cell(task));
    const { number, task: text } =
      lead.length === 0 ? own : own.number ? { ...own, task: [...lead, own.task].join('：') } : numbered('', [...lead, own.task].join('：'));
    const lines = [text];
    for (const c of owners) if (!blank(cell(c))) lines.push(LABEL[kinds[c]!]! + ownerList(cell(c)));
    for (const c of deadlines)
      if (!blank(cell(c)))
        lines.push(
          LABEL.deadline! +
            cell(c)
              .trim()
              .replace(/\s*\n\s*/g, '；'),
        );
    const item = build(number, group === undefined ? section : headingOf(cell(group)), span(lines.join('\n')), year);
    const written = targets.flatMap((c) => targetsOf(cell(c)));
    items.push(written.length > 0 ? { ...item, targets: written } : item);
  }
  return { items, warnings, captions: header.captions };
}

/** Caption rows spanning a table above its header (often its title), as text. */
export const tableCaptions = (table: PlanTable): string[] => readHeader(table.rows)?.captions ?? [];

/**
 * Items of the document's tables in order; `warnings` gets each table's rebuild problems (rows
 * whose cells did not match the header) and what was wrong in reading it, named by the table's
 * place when there are several.
 */
export function readTables(tables: readonly PlanTable[], year: number, build: BuildItem, warnings: string[]): PlanItem[] {
  const items: PlanItem[] = [];
  tables.forEach((table, i) => {
    for (const problem of table.problems ?? []) warnings.push(problem.message);
    const reading = readTable(table, year, build);
    const which = tables.length > 1 ? `第${i + 1}个` : '';
    for (const w of reading.warnings) warnings.push(which + w);
    for (const item of reading.items) items.push(item);
  });
  return items;
}
