import ExcelJS from 'exceljs';
import { localParts } from '@duban/calendar';

/** The measures of API.md (Reports), for one department or the totals. */
export interface Kpis {
  created: number;
  closed: number;
  closedOnTime: number;
  onTimeRate: number | null;
  earlyRate: number | null;
  avgHandlingWorkingDays: number | null;
  acceptedOnTimeRate: number | null;
  satisfactionRate: number | null;
  yellowCards: number;
  redCards: number;
  extensions: number;
  returns: number;
  overdueOpen: number;
  /** Urges (催办) in the period. */
  urges: number;
}

export interface DepartmentKpis extends Kpis {
  departmentId: string;
  departmentName: string;
  rank: number;
}

export const BULLETIN_COLUMNS = [
  '排名',
  '单位',
  '受理量',
  '办结量',
  '按时办结率',
  '提前办结率',
  '平均处理时长(工作日)',
  '签收及时率',
  '满意率',
  '黄牌',
  '红牌',
  '延期',
  '退单',
  '逾期未办结',
  '催办次数',
] as const;

export interface Bulletin {
  title: string;
  from: string;
  to: string;
  columns: string[];
  rows: (string | number)[][];
}

/**
 * A bulletin as the monthly job stores it: with the department of each row, in the rows' order,
 * so that a reader is shown only the rows of the departments it may read (an older stored
 * bulletin without them is matched by the departments' names).
 */
export interface StoredBulletin extends Bulletin {
  departmentIds?: string[];
}

/**
 * The rows of a stored bulletin `reach` may read (null: all), as published (ranks among the whole
 * bureau); without the departmentIds it is stored with.
 */
export function bulletinWithin(stored: StoredBulletin, reach: { ids: readonly string[]; names: readonly string[] } | null): Bulletin {
  const { departmentIds, ...bulletin } = stored;
  if (reach === null) return bulletin;
  const readable = (row: (string | number)[], i: number) =>
    departmentIds === undefined ? reach.names.includes(String(row[1])) : reach.ids.includes(departmentIds[i]!);
  return { ...bulletin, rows: bulletin.rows.filter(readable) };
}

/** How a bureau writes a rate in a bulletin: 99.98%; a dash when nothing was there to measure. */
export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);
const days = (value: number | null) => (value === null ? '—' : value.toFixed(2));

/** Local calendar parts of an instant in a zone, and whether it is a midnight there. */
function localDay(at: Date, timezone: string) {
  const parts = localParts(at, timezone);
  return { ...parts, midnight: parts.hour === 0 && parts.minute === 0 && parts.second === 0 && at.getUTCMilliseconds() === 0 };
}

/** The period as a bulletin names it: 2025年10月, 2025年, or 2025年1月1日至2025年6月30日 (the end day included). */
export function periodLabel(from: Date, to: Date, timezone: string): string {
  const f = localDay(from, timezone);
  const t = localDay(to, timezone);
  if (f.midnight && t.midnight && f.day === 1 && t.day === 1) {
    const months = (t.year - f.year) * 12 + (t.month - f.month);
    if (months === 1) return `${f.year}年${f.month}月`;
    if (months === 12 && f.month === 1) return `${f.year}年`;
  }
  const last = localDay(new Date(to.getTime() - 1), timezone);
  return `${f.year}年${f.month}月${f.day}日至${last.year}年${last.month}月${last.day}日`;
}

/** The departments in a bulletin's order: by rank, then by name. */
export const bulletinOrder = (rows: DepartmentKpis[]): DepartmentKpis[] =>
  [...rows].sort((a, b) => a.rank - b.rank || a.departmentName.localeCompare(b.departmentName, 'zh'));

export function bulletinOf(rows: DepartmentKpis[], options: { from: Date; to: Date; timezone: string; subject: string }): Bulletin {
  const ordered = bulletinOrder(rows);
  return {
    title: `${periodLabel(options.from, options.to, options.timezone)}${options.subject}办理情况通报`,
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    columns: [...BULLETIN_COLUMNS],
    rows: ordered.map((r) => [
      r.rank,
      r.departmentName,
      r.created,
      r.closed,
      percent(r.onTimeRate),
      percent(r.earlyRate),
      days(r.avgHandlingWorkingDays),
      percent(r.acceptedOnTimeRate),
      percent(r.satisfactionRate),
      r.yellowCards,
      r.redCards,
      r.extensions,
      r.returns,
      r.overdueOpen,
      r.urges,
    ]),
  };
}

const PERCENT = /^\d+(\.\d+)?%$/;
const DECIMAL = /^\d+\.\d+$/;

/** A bulletin cell as a spreadsheet holds it: `99.98%` the number 0.9998, `4.12` the number 4.12, the rest as it is. */
function cellValue(value: string | number): string | number {
  if (typeof value !== 'string') return value;
  if (PERCENT.test(value)) return Number((Number(value.slice(0, -1)) / 100).toFixed(6));
  return DECIMAL.test(value) ? Number(value) : value;
}

/**
 * The bulletin as a workbook a clerk prints: the title across the table, bold headers, frozen
 * under them; rates and handling days are numbers (a rate with a percentage format), a dash where
 * nothing was measured.
 */
export async function bulletinXlsx(bulletin: Bulletin): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Duban 督办';
  const sheet = workbook.addWorksheet('通报', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([bulletin.title]);
  sheet.mergeCells(1, 1, 1, bulletin.columns.length);
  sheet.getCell(1, 1).font = { bold: true, size: 14 };
  sheet.getCell(1, 1).alignment = { horizontal: 'center' };
  const header = sheet.addRow(bulletin.columns);
  header.font = { bold: true };
  for (const row of bulletin.rows) {
    const added = sheet.addRow(row.map(cellValue));
    // Numbers a clerk can sort and sum: a rate as a fraction shown as a percentage, as the JSON shows it.
    row.forEach((value, i) => {
      if (typeof value === 'string' && PERCENT.test(value)) added.getCell(i + 1).numFmt = '0.00%';
      else if (typeof value === 'string' && DECIMAL.test(value)) added.getCell(i + 1).numFmt = '0.00';
    });
  }
  sheet.columns.forEach((column, i) => (column.width = i === 1 ? 36 : Math.max(8, bulletin.columns[i]!.length * 2 + 2)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
