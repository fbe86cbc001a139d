import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type PlanDocument, type PlanTable, parse, parseDocument, readTextDocument } from './index.js';
import { UNIT_END } from './tables.js';
import { fold } from './text.js';

const RUNS = 150;

const UNITS = [
  '市发展改革委',
  '市财政局',
  '市公安局',
  '市政务服务数据管理局',
  '市住建管理局',
  '市行政服务中心',
  '市委网信办',
  '各县（市、区）人民政府',
  '市市场监管局',
];
const WORK = ['推进政务云扩容', '完善政务外网', '深化"一网通办"', '强化数据共享', '建设城市运行管理平台', '资源利用率达到70%以上', '完成系统对接'];
const DUES = ['2024年6月底前', '年底前', '第三季度', '2024年12月31日前', '长期坚持', '9月底前'];
const LEADERS = ['张三', '李四副市长', '王五'];
const REMARKS = ['无', '按季度报送', '已纳入考核'];

/** The columns a 分工表 may have after its 序号, each with the header words it may be written with. */
const COLUMNS = {
  task: ['重点工作', '工作任务', '主要任务', '具体措施'],
  lead: ['牵头单位', '主办单位'],
  co: ['配合单位', '协办单位'],
  deadline: ['完成时限', '完成时间', '时间节点'],
  leader: ['责任领导', '分管领导'],
  remarks: ['备注'],
} as const;
type Column = keyof typeof COLUMNS;

/** A cell's pieces: joined by a line break where `breaks` says (a cell holding several lines). */
const lines = (pieces: fc.Arbitrary<string[]>, separator: string) =>
  pieces.chain((ps) =>
    fc
      .array(fc.boolean(), { minLength: ps.length, maxLength: ps.length })
      .map((bs) => ps.map((p, i) => (i > 0 ? (bs[i] ? '\n' : separator) : '') + p).join('')),
  );

/**
 * A table: 序号 first (the forms rebuild rows by it), the other columns in any order and some
 * left out, rows of CJK task text, units, dates. `sparse` allows empty co-unit and remarks cells,
 * `breaks` line breaks inside task and unit cells.
 */
const tableOf = (sparse: boolean, breaks: boolean) =>
  fc
    .record({
      columns: fc.shuffledSubarray(Object.keys(COLUMNS) as Column[], { minLength: 1 }).filter((cs) => cs.includes('task') && cs.includes('lead')),
      words: fc.record(Object.fromEntries(Object.entries(COLUMNS).map(([k, ws]) => [k, fc.constantFrom(...ws)])) as { [K in Column]: fc.Arbitrary<string> }),
      rows: fc.array(
        fc.record({
          task: lines(fc.array(fc.constantFrom(...WORK), { minLength: 1, maxLength: 3 }), '，').map((t) => `${t}。`),
          lead: fc.uniqueArray(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 2 }).map((us) => us.join('、')),
          co: sparse
            ? fc.uniqueArray(fc.constantFrom(...UNITS), { maxLength: 3 }).chain((us) => lines(fc.constant(us), '、'))
            : lines(fc.uniqueArray(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 3 }), '、'),
          deadline: fc.constantFrom(...DUES),
          leader: fc.constantFrom(...LEADERS),
          remarks: sparse ? fc.constantFrom('', ...REMARKS) : fc.constantFrom(...REMARKS),
        }),
        { minLength: 1, maxLength: 8 },
      ),
    })
    .map(({ columns, words, rows }) => {
      const flat = (cell: string) => (breaks ? cell : cell.replace(/\n/g, ''));
      return [['序号', ...columns.map((c) => words[c])], ...rows.map((row, i) => [String(i + 1), ...columns.map((c) => flat(row[c]))])];
    });

type Rows = string[][];
const TITLE = '某市2024年重点工作任务分解表';
const CLOSING = '各地各部门要认真抓好落实。';

/** Pasted from Excel: tab-separated, a cell with a line break or a quote quoted as Excel does. */
const asTabs = (rows: Rows) => rows.map((r) => r.map((c) => (/[\n"]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join('\t')).join('\n');

/** Copied from a web page: `|` between cells, ragged blanks, outer bars or not, a markdown rule under the header or not. */
const asPipes = (rows: Rows, pads: number[], outer: boolean, rule: boolean) => {
  let k = 0;
  const pad = () => ' '.repeat(pads[k++ % pads.length]!);
  const line = (r: string[]) => {
    const inner = r.map((c) => `${pad()}${c}${pad()}`).join('|');
    return outer ? `|${inner}|` : inner;
  };
  const [header, ...body] = rows;
  return [line(header!), ...(rule ? [header!.map(() => '---').join('|')] : []), ...body.map(line)].join('\n');
};

/** One cell per line, each ending in ` |`; a cell's line breaks stay. */
const asLineCells = (rows: Rows) =>
  rows
    .flat()
    .map((c) => `${c} |`)
    .join('\n');

/**
 * Copied out of a PDF: one cell per paragraph, lines wrapped where `wraps` says by a stray space
 * or a line break. A wrap goes only where it is unambiguous to undo: not between two Latin
 * letters or digits, not in a 序号, and in a unit column not right after a unit's last character.
 */
const asParagraphs = (rows: Rows, wraps: Array<[number, boolean]>) => {
  const header = rows[0]!;
  let w = 0;
  const wrap = (cell: string, column: number) => {
    if (column === 0 && cell !== header[0]) return cell;
    const [at, newline] = wraps[w++ % wraps.length]!;
    const i = 1 + (at % Math.max(1, cell.length - 1));
    const owner = /单位/.test(header[column]!);
    const [before, after] = [cell[i - 1] ?? '', cell[i] ?? ''];
    if (i >= cell.length || /[A-Za-z0-9]/.test(before + after) || (owner && UNIT_END.test(fold(cell.slice(Math.max(0, i - 2), i))))) return cell;
    return cell.slice(0, i) + (newline ? '\n' : ' ') + cell.slice(i);
  };
  return rows.flatMap((r) => r.map(wrap)).join('\n\n');
};

const tables = (doc: PlanDocument) => doc.blocks.filter((b): b is PlanTable => b.kind === 'table');
const around = (body: string) => `${TITLE}\n\n${body}\n\n${CLOSING}`;

/** The text reads back to the table's rows, the same items as the table itself, and the paragraphs around it. */
function readsBack(rows: Rows, body: string) {
  const text = around(body);
  const doc = readTextDocument(text);
  expect(tables(doc).map((t) => [t.rows, t.problems])).toEqual([[rows, undefined]]);
  expect(doc.blocks.flatMap((b) => (b.kind === 'paragraph' && b.text !== '' ? [b.text] : []))).toEqual([TITLE, CLOSING]);
  const fromTable = parseDocument({
    blocks: [
      { kind: 'paragraph', text: TITLE },
      { kind: 'table', rows },
    ],
  });
  expect(parse(text)).toEqual(fromTable);
  expect(fromTable.items).toHaveLength(rows.length - 1);
}

describe('tables rendered as text read back (fast-check)', () => {
  it('tab-separated, Excel quoting cells with line breaks and quotes', () => {
    fc.assert(
      fc.property(tableOf(true, true), (rows) => readsBack(rows, asTabs(rows))),
      { numRuns: RUNS },
    );
  });

  it('|-separated with ragged blanks (line breaks in any cell but a row’s last, which no text can tell from a new row)', () => {
    const rows = tableOf(true, true).map((rs) => rs.map((r) => [...r.slice(0, -1), r[r.length - 1]!.replace(/\n/g, '')]));
    fc.assert(
      fc.property(rows, fc.array(fc.nat(3), { minLength: 1 }), fc.boolean(), fc.boolean(), (rs, pads, outer, rule) =>
        readsBack(rs, asPipes(rs, pads, outer, rule)),
      ),
      { numRuns: RUNS },
    );
  });

  it('one cell per line ending in " |"', () => {
    fc.assert(
      fc.property(tableOf(true, true), (rows) => readsBack(rows, asLineCells(rows))),
      { numRuns: RUNS },
    );
  });

  it('one cell per paragraph with PDF line wraps (no empty cells: a PDF drops them)', () => {
    fc.assert(
      fc.property(tableOf(false, false), fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 1 }), (rows, wraps) =>
        readsBack(rows, asParagraphs(rows, wraps)),
      ),
      { numRuns: RUNS },
    );
  });
});

/** Pieces tables are written with, in any order: what a garbled paste may hold. */
const PIECES = [
  '序号',
  '工作任务',
  '牵头单位',
  '配合单位',
  '完成时限',
  '重点工作:',
  '市财政局',
  '推进工作。',
  '2024年底前',
  '1',
  '2',
  '一、',
  '|',
  '｜',
  ' |',
  '---',
  '\t',
  '"',
  '""',
  '\n',
  '\n\n',
  ' ',
  '：',
];

describe('garbled tables (fast-check)', () => {
  it('never throw and keep every table as wide as its header', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }), (pieces) => {
        const text = pieces.join('');
        const doc = readTextDocument(text);
        for (const t of tables(doc)) expect(new Set(t.rows.map((r) => r.length)).size).toBe(1);
        expect(Array.isArray(parse(text, { year: 2024 }).items)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
