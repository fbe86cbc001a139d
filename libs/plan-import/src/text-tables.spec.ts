import { describe, expect, it } from '@jest/globals';
import { type PlanDocument, type PlanItem, type PlanTable, parse, readTextDocument } from './index.js';
import { joinWraps } from './text-tables.js';

const owners = (item: PlanItem) => item.owners.map((o) => `${o.name}/${o.role}`);
const tables = (doc: PlanDocument) => doc.blocks.filter((b): b is PlanTable => b.kind === 'table');
const paragraphs = (doc: PlanDocument) => doc.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));

/** The table every form below writes: 序号, task, lead, co-units, deadline. */
const ROWS = [
  ['序号', '重点工作', '牵头单位', '配合单位', '完成时限'],
  ['1', '推进政务云扩容，资源利用率达到70%以上。', '市政务服务数据管理局', '市发展改革委、市财政局', '2024年6月底前'],
  ['2', '完善政务外网。', '市政数局', '市公安局', '2024年底前'],
];
const TITLE = '某市2024年数字政府重点工作任务分解表';
const CLOSING = '各地各部门要认真抓好落实。';

const FORMS: ReadonlyArray<readonly [string, string]> = [
  ['tab-separated (pasted from Excel)', ROWS.map((r) => r.join('\t')).join('\n')],
  [
    '|-separated with ragged blanks and a markdown separator row (a web page)',
    ['| 序号 | 重点工作 |牵头单位| 配合单位 | 完成时限 |', '|---|---|:---:|---|---|', ...ROWS.slice(1).map((r) => `|${r.join('  |  ')}|`)].join('\n'),
  ],
  ['|-separated without the outer bars', ROWS.map((r) => r.join(' | ')).join('\n')],
  [
    'one cell per line ending in " |"',
    ROWS.flat()
      .map((c) => `${c} |`)
      .join('\n'),
  ],
  ['one cell per paragraph (a PDF)', ROWS.flat().join('\n\n')],
];

describe('tables that lost their grid, read from text', () => {
  it.each(FORMS)('%s: the rows come back, between the paragraphs around them', (_form, body) => {
    const doc = readTextDocument(`${TITLE}\n\n${body}\n\n${CLOSING}`);
    expect(tables(doc).map((t) => [t.rows, t.problems])).toEqual([[ROWS, undefined]]);
    expect(paragraphs(doc).filter((p) => p !== '')).toEqual([TITLE, CLOSING]);
  });

  it.each(FORMS)('%s: parse reads its items, the title above it and no closing paragraph', (_form, body) => {
    const plan = parse(`${TITLE}\n\n${body}\n\n${CLOSING}`);
    expect([plan.title, plan.year, plan.warnings]).toEqual([TITLE, 2024, []]);
    expect(plan.items.map((i) => [i.number, i.title, owners(i), i.due])).toEqual([
      ['1', '推进政务云扩容，资源利用率达到70%以上', ['市政务服务数据管理局/lead', '市发展改革委/co', '市财政局/co'], '2024-06-30'],
      ['2', '完善政务外网', ['市政数局/lead', '市公安局/co'], '2024-12-31'],
    ]);
  });
});

describe('rows as each form writes them', () => {
  it("reads Excel's quoted cells: line breaks and quotes inside a cell", () => {
    const text = ['序号\t工作任务\t责任单位', '1\t"完善企业开办\n""一站式""服务"\t"市市场监管局\n市税务局"', '2\t推进数据共享\t市政数局'].join('\n');
    expect(tables(readTextDocument(text))[0]!.rows).toEqual([
      ['序号', '工作任务', '责任单位'],
      ['1', '完善企业开办\n"一站式"服务', '市市场监管局\n市税务局'],
      ['2', '推进数据共享', '市政数局'],
    ]);
  });

  it('joins a row that a cell’s line break cut in two (a Word table pasted as text)', () => {
    const text = ['序号\t工作任务\t责任单位\t完成时限', '1\t推进数据共享', '完成平台对接\t市政数局\t2024年底前', '2\t开展攻防演练\t市委网信办\t第三季度'].join(
      '\n',
    );
    const [table] = tables(readTextDocument(text));
    expect(table!.rows.slice(1)).toEqual([
      ['1', '推进数据共享\n完成平台对接', '市政数局', '2024年底前'],
      ['2', '开展攻防演练', '市委网信办', '第三季度'],
    ]);
    expect(table!.problems).toBeUndefined();
  });

  it('joins a line break in a row’s last cell when the next row follows (a Word table pasted as text)', () => {
    const text = ['序号\t工作任务\t责任单位\t完成时限', '1\t推进数据共享\t市政数局\t2024年', '6月底前', '2\t开展攻防演练\t市委网信办\t第三季度', CLOSING].join(
      '\n',
    );
    const doc = readTextDocument(text);
    expect(tables(doc)[0]!.rows.slice(1)).toEqual([
      ['1', '推进数据共享', '市政数局', '2024年\n6月底前'],
      ['2', '开展攻防演练', '市委网信办', '第三季度'],
    ]);
    expect(paragraphs(doc)).toEqual([CLOSING]);
  });

  it('takes no column from empty cells past the header’s last word (a selection one column too wide)', () => {
    const text = ['序号\t工作任务\t责任单位\t', '1\t推进数据共享\t市政数局\t', '2\t开展攻防演练\t市委网信办'].join('\n');
    const [table] = tables(readTextDocument(text));
    expect([table!.rows, table!.problems]).toEqual([
      [
        ['序号', '工作任务', '责任单位'],
        ['1', '推进数据共享', '市政数局'],
        ['2', '开展攻防演练', '市委网信办'],
      ],
      undefined,
    ]);
  });
});

describe('headers, sections and cells over lines in each form', () => {
  it('reads a two-line header in a |-table, the top row naming 责任分工 over 牵头单位 and 配合单位', () => {
    const text = [
      '2024年任务分工',
      '| 序号 | 工作任务 | 责任分工 | | 完成时限 |',
      '| | | 牵头单位 | 配合单位 | |',
      '| 1 | 推进数据共享。 | 市政数局 | 市公安局 | 6月底前 |',
    ].join('\n');
    const plan = parse(text);
    expect(plan.items.map((i) => [i.number, owners(i), i.due])).toEqual([['1', ['市政数局/lead', '市公安局/co'], '2024-06-30']]);
  });

  it('reads a section heading on a line of its own inside a tab-separated table', () => {
    const text = [
      '2024年任务分工',
      '序号\t工作任务\t牵头单位',
      '一、夯实数字底座',
      '1\t推进政务云扩容。\t市政数局',
      '二、提升服务水平\t\t',
      '2\t深化“一网通办”。\t市行政服务中心',
    ].join('\n');
    expect(parse(text).items.map((i) => [i.number, i.section])).toEqual([
      ['1', '夯实数字底座'],
      ['2', '提升服务水平'],
    ]);
  });

  it('reads a cell that runs over lines in the one-cell-per-line form', () => {
    const text = ['序号 |', '重点工作 |', '牵头单位 |', '1 |', '推进数据共享，', '完成平台对接 |', '市政数局 |', '备注：略'].join('\n');
    const doc = readTextDocument(text);
    expect(tables(doc)[0]!.rows).toEqual([
      ['序号', '重点工作', '牵头单位'],
      ['1', '推进数据共享，\n完成平台对接', '市政数局'],
    ]);
    expect(paragraphs(doc)).toEqual(['备注：略']);
  });

  it('reads PDF section headings between the rows, and rows numbered again under each section', () => {
    const text = [
      '序号',
      '工作任务',
      '牵头单位',
      '一、夯实数字底座',
      '1',
      '推进政务云扩容。',
      '市政数局',
      '二、提升服务水平',
      '1',
      '深化“一网通办”。',
      '市行政服务中心',
    ].join('\n\n');
    expect(parse(`2024年\n\n${text}`).items.map((i) => [i.number, i.section, owners(i)])).toEqual([
      ['1', '夯实数字底座', ['市政数局/lead']],
      ['1', '提升服务水平', ['市行政服务中心/lead']],
    ]);
  });
});

describe('a header cell dated by the plan year', () => {
  it('reads a PDF target table whose column is headed 2022年预期目标 (a year before the header word)', () => {
    const text = [
      '2022年目标任务分解表',
      '序号',
      '2022年预期目标',
      '责任单位',
      '1',
      '地区生产总值增长5.5%左右',
      '区发展改革委',
      '2',
      '工业增加值增长7%左右',
      '区经济信息委',
    ].join('\n\n');
    expect(parse(text).items.map((i) => [i.number, i.title, owners(i)])).toEqual([
      ['1', '地区生产总值增长5.5%左右', ['区发展改革委/lead']],
      ['2', '工业增加值增长7%左右', ['区经济信息委/lead']],
    ]);
  });
});

describe('a PDF table’s empty cells and header cells cut in two', () => {
  it('reads a header cell cut over two paragraphs (区本级 / 任务数) as one, and each extra blank line as an empty cell', () => {
    const text = [
      '2023年重点工作责任分解',
      '',
      '序号\n\n重点工作\n\n区本级\n\n任务数\n\n责任单位',
      '',
      '1\n\n地区生产总值增长6.5%。\n\n\n区发改局',
      '',
      '2\n\n力争兑现惠企资金20亿元。\n\n9亿元\n\n区财政局',
    ].join('\n');
    const [table] = tables(readTextDocument(text));
    expect([table!.rows, table!.problems]).toEqual([
      [
        ['序号', '重点工作', '区本级任务数', '责任单位'],
        ['1', '地区生产总值增长6.5%。', '', '区发改局'],
        ['2', '力争兑现惠企资金20亿元。', '9亿元', '区财政局'],
      ],
      undefined,
    ]);
    const items = parse(text).items;
    expect(items.map((i) => [i.number, owners(i)])).toEqual([
      ['1', ['区发改局/lead']],
      ['2', ['区财政局/lead']],
    ]);
    expect(items[1]!.targets).toEqual(['9亿元']);
  });
});

describe('a table one cell per line, without bars or blank lines', () => {
  it('ends each row at its unit cell, and fills the cells a merged cell left out from the row above', () => {
    const text = [
      '2017年政务公开工作要点',
      '任务',
      '主要内容',
      '责任单位',
      '(一)加强预期引导',
      '及时宣传解读经济政策。',
      '市发改委牵头落实',
      '加强就业创业政策信息公开。',
      '市人社局',
    ].join('\n');
    const [table] = tables(readTextDocument(text));
    expect(table!.rows.slice(1)).toEqual([
      ['(一)加强预期引导', '及时宣传解读经济政策。', '市发改委牵头落实'],
      ['(一)加强预期引导', '加强就业创业政策信息公开。', '市人社局'],
    ]);
    expect(parse(text).items.map((i) => [i.section, i.title])).toEqual([
      ['加强预期引导', '及时宣传解读经济政策'],
      ['加强预期引导', '加强就业创业政策信息公开'],
    ]);
  });
});

describe('a progress report one cell per line ending in " |"', () => {
  const text = [
    '2023年民生实事推进情况',
    ...['序号', '主要任务', '全年目标任务', '分管 领导', '牵头 单位', '协同单位', '1-11月推进情况', '是否达序', '说明'].map((c) => `${c} |`),
    ...['1', '新增达标小区210个。', '徐国江', '城管局', '市政局、相关街道', '已完成60%。', '否', '合同滞后。'].map((c) => `${c} |`),
    '|',
    ...['2', '新建中转站8个。', '8个', '徐国江', '城管局', '崇川经济开发区', '已建成7个。', '是'].map((c) => `${c} |`),
    '||',
  ].join('\n');

  it('reads the whole header up to the first row number, a dated column and words a space broke included', () => {
    const [table] = tables(readTextDocument(text));
    expect(table!.rows[0]).toEqual(['序号', '主要任务', '全年目标任务', '分管领导', '牵头单位', '协同单位', '1-11月推进情况', '是否达序', '说明']);
  });

  it('aligns a row a cell short by what its cells hold though a closing bar pads it to the header’s width, and warns', () => {
    const plan = parse(text);
    // 相关街道 is the streets' share (a fan-out), not a unit: owners.ts.
    expect(plan.items.map((i) => [i.number, owners(i), i.fanOut])).toEqual([
      ['1', ['城管局/lead', '市政局/co'], 'counties'],
      ['2', ['城管局/lead', '崇川经济开发区/co'], null],
    ]);
    expect(plan.warnings).toEqual(['第1项少了1个单元格，已按内容对齐，“全年目标任务”一栏留空；请核对']);
  });
});

describe('a row that lacks a cell', () => {
  it('is aligned by what its cells hold and named in a warning, the other columns not shifted (PDF)', () => {
    const text = [
      '2024年重点工作',
      ...['序号', '重点工作', '牵头单位', '配合单位', '完成时限'],
      ...['1', '推进政务云扩容。', '市政数局', '市财政局', '6月底前'],
      ...['2', '完善政务外网。', '市政数局', '年底前'],
      ...['3', '推进数据共享。', '市政数局', '市公安局', '第三季度'],
    ].join('\n\n');
    const [table] = tables(readTextDocument(text));
    expect(table!.rows[2]).toEqual(['2', '完善政务外网。', '市政数局', '', '年底前']);
    expect(table!.problems).toEqual([{ row: 2, message: '第2项少了1个单元格，已按内容对齐，“配合单位”一栏留空；请核对' }]);
    const plan = parse(text);
    expect(plan.items.map((i) => [i.number, owners(i), i.due])).toEqual([
      ['1', ['市政数局/lead', '市财政局/co'], '2024-06-30'],
      ['2', ['市政数局/lead'], '2024-12-31'],
      ['3', ['市政数局/lead', '市公安局/co'], '2024-09-30'],
    ]);
    expect(plan.warnings).toEqual(['第2项少了1个单元格，已按内容对齐，“配合单位”一栏留空；请核对']);
  });

  it('in a |-table without the closing bar, keeps the cells in their columns and warns', () => {
    const text = [
      '2024年重点工作',
      '| 序号 | 重点工作 | 牵头单位 | 完成时限 |',
      '| 1 | 推进政务云扩容。 | 市政数局 | 6月底前 |',
      '| 2 | 完善政务外网。 | 年底前',
      '| 3 | 推进数据共享。 | 市政数局 | 第三季度 |',
    ].join('\n');
    const plan = parse(text);
    expect(plan.items.map((i) => [i.number, owners(i), i.due])).toEqual([
      ['1', ['市政数局/lead'], '2024-06-30'],
      ['2', [], '2024-12-31'],
      ['3', ['市政数局/lead'], '2024-09-30'],
    ]);
    expect(plan.warnings).toEqual(['第2项少了1个单元格，已按内容对齐，“牵头单位”一栏留空；请核对']);
  });

  it('does not take the paragraph after a PDF table as the last row’s missing cell', () => {
    const text = ['序号', '重点工作', '牵头单位', '配合单位', '完成时限', '1', '完善政务外网。', '市政数局', '2024年底前', CLOSING].join('\n\n');
    const doc = readTextDocument(text);
    expect(tables(doc)[0]!.rows[1]).toEqual(['1', '完善政务外网。', '市政数局', '', '2024年底前']);
    expect(paragraphs(doc).filter((p) => p !== '')).toEqual([CLOSING]);
  });
});

describe('words a PDF line wrap cut', () => {
  it.each([
    ['市发展改 革委', 'lead', '市发展改革委'],
    ['市发展改\n革委', 'lead', '市发展改革委'],
    ['推进政务 云扩容', 'task', '推进政务云扩容'],
    ['2024年6 月底前', 'deadline', '2024年6月底前'],
    ['建设 CIM 平台', 'task', '建设CIM平台'],
    ['CIM 2.0', 'task', 'CIM 2.0'],
    ['市财政局、市公 安局', 'co', '市财政局、市公安局'],
  ] as const)('%j in a %s cell → %s', (cell, kind, joined) => {
    expect(joinWraps(cell, kind)).toBe(joined);
  });

  it('are not joined across two units set apart by a break', () => {
    expect(joinWraps('市财政局 市公安局', 'co')).toBe('市财政局\n市公安局');
    expect(joinWraps('市发改委\n市政数局', 'lead')).toBe('市发改委\n市政数局');
  });

  it('in a table copied out of a PDF, come back whole', () => {
    const text = [
      '序号',
      '重点工作',
      '牵头单位',
      '配合单位',
      '完成时限',
      '1',
      '推进政务云扩容，资源利用\n率达到70%以上。',
      '市发展改 革委',
      '市财政局 市公安局',
      '2024年6月\n底前',
    ].join('\n\n');
    const [item] = parse(text).items;
    expect([item!.body, owners(item!), item!.due]).toEqual([
      '推进政务云扩容，资源利用率达到70%以上。',
      ['市发展改革委/lead', '市财政局/co', '市公安局/co'],
      '2024-06-30',
    ]);
  });
});

describe('a record written as key/value rows', () => {
  it('is one item whose number is the one inside the value', () => {
    const text = [
      '2024年重点工作任务清单',
      '重点工作: | 135.推进“跨省通办”，2024年底前完成。 |',
      '牵头单位: | 市政数局 |',
      '配合单位: | 市公安局、市民政局 |',
      '',
      '重点工作： | 136.完善电子证照库，',
      '实现证照互认。 |',
      '牵头单位： | 市政数局 |',
    ].join('\n');
    expect(tables(readTextDocument(text))[0]!.rows).toEqual([
      ['重点工作', '牵头单位', '配合单位'],
      ['135.推进“跨省通办”，2024年底前完成。', '市政数局', '市公安局、市民政局'],
      ['136.完善电子证照库，\n实现证照互认。', '市政数局', ''],
    ]);
    expect(parse(text).items.map((i) => [i.number, i.title, owners(i), i.due])).toEqual([
      ['135.', '推进“跨省通办”，2024年底前完成', ['市政数局/lead', '市公安局/co', '市民政局/co'], '2024-12-31'],
      ['136.', '完善电子证照库，实现证照互认', ['市政数局/lead'], null],
    ]);
  });
});

describe('prose stays prose', () => {
  const prose = `各县（市、区）人民政府，市政府各部门：

清远市数字政府建设2024年工作要点

一、夯实数字政府基础能力
（一）推进政务云扩容。（市政务服务数据管理局牵头）

（二）完善政务外网。牵头单位：市政数局
完成时限：2024年6月底前
工作任务 | 很重要
各地各部门要认真抓好落实。`;

  it('is read as paragraphs, one a line, that join back to the text as given', () => {
    const doc = readTextDocument(prose);
    expect(tables(doc)).toEqual([]);
    expect(paragraphs(doc).join('\n')).toBe(prose);
  });

  it('keeps a prose line that names a few header words, one per paragraph, as prose', () => {
    const doc = readTextDocument('2024年工作要点\n\n工作任务\n\n一、推进数据共享。（市政数局牵头）');
    expect(tables(doc)).toEqual([]);
  });
});
