import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parse, type PlanItem, SHORT_FORMS } from './index.js';
import { toAscii } from './spec-support.js';
import { fold } from './text.js';

/**
 * Prose the importer missed in the field (issue 19 point 4): each fault's smallest input, and
 * the other forms of the same kind.
 */
const owners = (item: PlanItem) => item.owners.map((o) => `${o.name}/${o.role}`);
const items = (text: string) => parse(text, {}).items;
/** The one item of a plan whose only item is `一、<item>`. */
const only = (item: string) => {
  const found = items(`2024年工作要点\n一、${item}`);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('sub-items run together in one paragraph are items of their own', () => {
  const paragraph = `2024年优化营商环境工作方案
1.深化改革。(1)推进投资审批制度改革，2024年6月底前完成。（市发展改革委牵头）(2)完善财政预算管理，2024年9月底前完成。（市财政局牵头，市商务局配合）`;

  it('1.深化改革。(1)…（市发展改革委牵头）(2)…（市财政局牵头）: two items under the heading, each with its owners and due date', () => {
    const { items: found, warnings } = parse(paragraph, {});
    expect(warnings).toEqual([]);
    expect(found.map((i) => [i.number, i.section, i.title, owners(i), i.due, i.dueText])).toEqual([
      ['(1)', '深化改革', '推进投资审批制度改革，2024年6月底前完成', ['市发展改革委/lead'], '2024-06-30', '2024年6月底前'],
      ['(2)', '深化改革', '完善财政预算管理，2024年9月底前完成', ['市财政局/lead', '市商务局/co'], '2024-09-30', '2024年9月底前'],
    ]);
    expect(found[1]!.body).toBe('完善财政预算管理，2024年9月底前完成。');
  });

  it('reads full-width （1）（2） and ASCII punctuation alike', () => {
    const fullWidth = items(paragraph.replace(/\((\d)\)/g, '（$1）'));
    const ascii = items(toAscii(paragraph));
    expect(fullWidth.map((i) => [i.number, i.section, owners(i)])).toEqual([
      ['（1）', '深化改革', ['市发展改革委/lead']],
      ['（2）', '深化改革', ['市财政局/lead', '市商务局/co']],
    ]);
    expect(fold(JSON.stringify(ascii))).toBe(fold(JSON.stringify(fullWidth)));
  });

  it('（一）…（二）… run together under a 一、 heading', () => {
    const found = items(`2024年工作要点
一、优化营商环境。（一）推进“一件事一次办”，2024年6月底前完成。（市政务服务数据管理局牵头）（二）规范涉企收费。（市市场监管局牵头，市财政局配合）
二、扩大对外开放。（一）发展跨境电商。（市商务局牵头）（二）提升通关效率。（拱北海关负责）`);
    expect(found.map((i) => [i.number, i.section, i.title, owners(i)])).toEqual([
      ['（一）', '优化营商环境', '推进“一件事一次办”，2024年6月底前完成', ['市政务服务数据管理局/lead']],
      ['（二）', '优化营商环境', '规范涉企收费', ['市市场监管局/lead', '市财政局/co']],
      ['（一）', '扩大对外开放', '发展跨境电商', ['市商务局/lead']],
      ['（二）', '扩大对外开放', '提升通关效率', ['拱北海关/lead']],
    ]);
  });

  it('①…②… run together, after a colon', () => {
    const found = items(`2024年数字政府工作要点
3.夯实数字底座：①推进政务云扩容（市政务服务数据管理局牵头）；②完善政务外网，年底前完成（市财政局牵头）。`);
    expect(found.map((i) => [i.number, i.section, i.title, owners(i), i.due])).toEqual([
      ['①', '夯实数字底座', '推进政务云扩容', ['市政务服务数据管理局/lead'], null],
      ['②', '夯实数字底座', '完善政务外网，年底前完成', ['市财政局/lead'], '2024-12-31'],
    ]);
  });

  it('some sub-items on lines of their own and others run together', () => {
    const found = items(`2024年优化营商环境工作方案
1.深化改革。(1)推进投资审批制度改革。（市发展改革委牵头）
(2)完善财政预算管理。（市财政局牵头）(3)优化政府采购，2024年6月底前完成。（市财政局牵头，市商务局配合）
(4)推进信用体系建设。（市发展改革委牵头）
2.扩大开放。
(1)发展跨境电商。（市商务局牵头）(2)提升通关效率。（广州、深圳、拱北海关负责）`);
    expect(found.map((i) => [i.number, i.section, owners(i)])).toEqual([
      ['(1)', '深化改革', ['市发展改革委/lead']],
      ['(2)', '深化改革', ['市财政局/lead']],
      ['(3)', '深化改革', ['市财政局/lead', '市商务局/co']],
      ['(4)', '深化改革', ['市发展改革委/lead']],
      ['(1)', '扩大开放', ['市商务局/lead']],
      ['(2)', '扩大开放', ['广州、深圳、拱北海关/lead']],
    ]);
    expect(found[2]!.due).toBe('2024-06-30');
  });
});

describe('an item that is a heading over sub-items with owners of their own', () => {
  it('2.深化改革。(1)…(2)… among items 1. and 3. that name their owners: the sub-items are items, under the heading', () => {
    const { items: found, warnings } = parse(
      `2024年优化营商环境工作方案
1.推进政务服务标准化。（市政务服务数据管理局牵头）
2.深化改革。(1)推进投资审批制度改革，2024年6月底前完成。（市发展改革委牵头）(2)完善财政预算管理。（市财政局牵头，市商务局配合）
3.扩大对外开放。（市商务局牵头）`,
      {},
    );
    expect(warnings).toEqual([]);
    expect(found.map((i) => [i.number, i.section, i.title, owners(i), i.due])).toEqual([
      ['1.', null, '推进政务服务标准化', ['市政务服务数据管理局/lead'], null],
      ['(1)', '深化改革', '推进投资审批制度改革，2024年6月底前完成', ['市发展改革委/lead'], '2024-06-30'],
      ['(2)', '深化改革', '完善财政预算管理', ['市财政局/lead', '市商务局/co'], null],
      ['3.', null, '扩大对外开放', ['市商务局/lead'], null],
    ]);
  });

  it('the same with the sub-items on lines of their own', () => {
    const found = items(`2024年优化营商环境工作方案
（一）推进政务服务标准化。（市政务服务数据管理局牵头）
（二）深化改革。
1.推进投资审批制度改革。（市发展改革委牵头）
2.完善财政预算管理。（市财政局牵头）
（三）扩大对外开放。（市商务局牵头）`);
    expect(found.map((i) => [i.number, i.section, owners(i)])).toEqual([
      ['（一）', null, ['市政务服务数据管理局/lead']],
      ['1.', '深化改革', ['市发展改革委/lead']],
      ['2.', '深化改革', ['市财政局/lead']],
      ['（三）', null, ['市商务局/lead']],
    ]);
  });

  it('stays one item when its heading names the owners too, or when a sub-item names none', () => {
    const found = items(`2024年优化营商环境工作方案
（一）推进政务服务标准化。（市政务服务数据管理局牵头）
（二）深化改革（市发展改革委牵头）。(1)推进投资审批制度改革。（市财政局配合）(2)完善财政预算管理。（市商务局配合）
（三）扩大对外开放。(1)发展跨境电商；(2)提升通关效率。（市商务局牵头）`);
    expect(found.map((i) => [i.number, owners(i)])).toEqual([
      ['（一）', ['市政务服务数据管理局/lead']],
      ['（二）', ['市发展改革委/lead', '市财政局/co', '市商务局/co']],
      ['（三）', ['市商务局/lead']],
    ]);
  });
});

describe('sub-items read alike on lines of their own and run together (fast-check)', () => {
  const UNITS = ['市发展改革委', '市财政局', '市商务局', '市住房和城乡建设局', '市人力资源和社会保障局', '南雄市人民政府', '市委机要和保密局'];
  const sub = fc.record({
    title: fc.constantFrom('推进投资审批制度改革', '完善财政预算管理', '优化政府采购', '发展跨境电商'),
    owners: fc.uniqueArray(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 3 }),
    joinLast: fc.constantFrom('、', '及', '和'),
    due: fc.constantFrom<readonly [string, string | null]>(['', null], ['2024年6月底前', '2024-06-30'], ['年底前', '2024-12-31']),
    fullWidth: fc.boolean(),
  });
  const group = fc.record({
    heading: fc.constantFrom('深化改革', '扩大开放', '优化服务'),
    subs: fc.array(sub, { minLength: 1, maxLength: 4 }),
    /** How many sub-items run on in the heading's line; the rest stand on lines of their own. */
    runOn: fc.nat(),
  });

  it('gives each sub-item as an item under its heading, with its owners and due date', () => {
    fc.assert(
      fc.property(fc.array(group, { minLength: 1, maxLength: 4 }), (groups) => {
        const lines = ['2024年优化营商环境工作方案'];
        const expected: unknown[] = [];
        groups.forEach((g, k) => {
          const rendered = g.subs.map((s, j) => {
            const list = s.owners.length > 1 ? `${s.owners.slice(0, -1).join('、')}${s.joinLast}${s.owners[s.owners.length - 1]}` : s.owners[0]!;
            const number = s.fullWidth ? `（${j + 1}）` : `(${j + 1})`;
            const title = s.due[0] ? `${s.title}，${s.due[0]}完成` : s.title;
            expected.push([number, g.heading, title, s.owners.map((o) => `${o}/lead`), s.due[1]]);
            return `${number}${title}。（${list}牵头）`;
          });
          const runOn = g.runOn % (g.subs.length + 1);
          lines.push(`${k + 1}.${g.heading}。${rendered.slice(0, runOn).join('')}`, ...rendered.slice(runOn));
        });
        const found = items(lines.join('\n'));
        expect(found.map((i) => [i.number, i.section, i.title, owners(i), i.due])).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('run-together numbers that are not items', () => {
  it('keeps run-together sub-points inside their item when the owners are named once for the whole item', () => {
    const found = items(`2024年工作要点
（一）推进政务云建设。(1)扩容计算资源；(2)完善管理制度。（市政务服务数据管理局牵头）
（二）完善政务外网。(1)升级骨干网；(2)扩容互联网出口。（市政务服务数据管理局牵头）`);
    expect(found.map((i) => [i.number, i.body])).toEqual([
      ['（一）', '推进政务云建设。(1)扩容计算资源；(2)完善管理制度。'],
      ['（二）', '完善政务外网。(1)升级骨干网；(2)扩容互联网出口。'],
    ]);
  });

  it('does not cut at numbers that do not count on, that stand inside an owner list, or that follow no sentence end', () => {
    const found = items(`2024年工作要点
（一）落实第(3)项要求。按照(2)号文件执行。（责任单位：①市财政局；②市商务局）
（二）推进①号楼改造。（市住房和城乡建设局牵头）`);
    expect(found.map((i) => [i.number, i.body, owners(i)])).toEqual([
      ['（一）', '落实第(3)项要求。按照(2)号文件执行。', ['①市财政局/lead', '②市商务局/lead']],
      ['（二）', '推进①号楼改造。', ['市住房和城乡建设局/lead']],
    ]);
  });
});

describe('及, 以及, 和 and 与 between units in an owner phrase', () => {
  it('A牵头，B及各县（市、区）政府按职责分工负责: A leads, B is a co-unit, the counties fan out', () => {
    const item = only('推进投资审批制度改革。（市发展改革委牵头，市财政局及各县（市、区）政府按职责分工负责）');
    expect(owners(item)).toEqual(['市发展改革委/lead', '市财政局/co']);
    expect([item.fanOut, item.fanOutRole]).toEqual(['counties', undefined]);
    expect(item.body).toBe('推进投资审批制度改革。');
    expect(item.warnings).toEqual([]);
  });

  it.each([
    ['和 between co-units', '（市商务局牵头，市财政局和市税务局配合）', ['市商务局/lead', '市财政局/co', '市税务局/co']],
    ['以及, the later unit inheriting the city prefix', '（市商务局牵头，市财政局以及税务局配合）', ['市商务局/lead', '市财政局/co', '市税务局/co']],
    ['与 among leads', '（市教育局与市科技局牵头）', ['市教育局/lead', '市科技局/lead']],
    [
      '及 in a 配合单位 label',
      '牵头单位：市商务局；配合单位：市财政局、市文化广电旅游体育局及市公安局',
      ['市商务局/lead', '市财政局/co', '市文化广电旅游体育局/co', '市公安局/co'],
    ],
    ['B、C按职责分工负责 after a lead', '（市商务局牵头，市财政局、市公安局按职责分工负责）', ['市商务局/lead', '市财政局/co', '市公安局/co']],
    ['负责 with no lead before it still leads', '（市财政局、市公安局负责）', ['市财政局/lead', '市公安局/lead']],
    ['等单位 before 及', '（市商务局牵头，市财政局等单位及各县（市、区）政府配合）', ['市商务局/lead', '市财政局/co']],
  ])('%s', (_name, annotation, expected) => {
    expect(owners(only(`推进。${annotation}`))).toEqual(expected);
  });

  it.each([
    '市住房和城乡建设局',
    '市人力资源和社会保障局',
    '市工业和信息化局',
    '市委机要和保密局',
    '市城市管理和综合执法局',
    '市委网络安全和信息化委员会办公室',
    '清远市政务服务和数据管理局',
    '市政府和社会资本合作中心',
    '市智慧城市和数字政府建设中心',
  ])('does not cut inside the name %s', (name) => {
    expect(owners(only(`推进。（${name}牵头，市财政局配合）`))).toEqual([`${name}/lead`, '市财政局/co']);
  });

  it.each([...new Set(Object.values(SHORT_FORMS).flat())].filter((full) => /[和及与]/.test(full)))(
    'does not cut inside the full name 市%s that a short form stands for',
    (full) => {
      expect(owners(only(`推进。（市${full}牵头，市财政局配合）`))).toEqual([`市${full}/lead`, '市财政局/co']);
    },
  );

  it('各县（市、区）党委和政府 is the counties, not a unit 政府 beside them', () => {
    const item = only('推进。（市商务局牵头，各县（市、区）党委和政府负责）');
    expect([owners(item), item.fanOut]).toEqual([['市商务局/lead'], 'counties']);
  });

  it('cuts between two names that each hold 和', () => {
    expect(owners(only('推进。（市住房和城乡建设局和市人力资源和社会保障局牵头）'))).toEqual(['市住房和城乡建设局/lead', '市人力资源和社会保障局/lead']);
  });
});

describe('units sharing one suffix', () => {
  it('广州、深圳、拱北海关 is one unit as written, not prefixed with the city', () => {
    const item = only('提升通关效率。（市商务局牵头，广州、深圳、拱北海关配合）');
    expect(owners(item)).toEqual(['市商务局/lead', '广州、深圳、拱北海关/co']);
    expect(item.warnings).toEqual([]);
  });

  it('黄埔、南沙海关 alone, with the role word', () => {
    expect(owners(only('提升通关效率。（黄埔、南沙海关负责）'))).toEqual(['黄埔、南沙海关/lead']);
  });

  it('a customs unit named alone keeps its own name', () => {
    expect(owners(only('提升通关效率。（市商务局、拱北海关牵头）'))).toEqual(['市商务局/lead', '拱北海关/lead']);
  });

  it.each([
    ['市教育局、市科技局', ['市教育局/lead', '市科技局/lead']],
    ['市教育局、科技局、财政局', ['市教育局/lead', '市科技局/lead', '市财政局/lead']],
    ['市商务局、广州、深圳海关', ['市商务局/lead', '广州、深圳海关/lead']],
    ['南雄市、乐昌市人民政府', ['南雄市/lead', '乐昌市人民政府/lead']],
    ['市妇联、市科协', ['市妇联/lead', '市科协/lead']],
  ])('%s: every part known on its own is a unit of its own', (list, expected) => {
    expect(owners(only(`推进。（${list}牵头）`))).toEqual(expected);
  });

  it.each([
    [
      'a group word before a fan-out phrase',
      '（市政务服务数据管理局牵头，市直各部门、各县（市、区）政府配合）',
      ['市政务服务数据管理局/lead', '市直各部门/co'],
      'counties',
    ],
    ['有关部门 before a unit', '（有关部门、市财政局负责）', ['有关部门/lead', '市财政局/lead'], null],
  ])('%s shares no suffix', (_name, annotation, expected, fanOut) => {
    const item = only(`推进。${annotation}`);
    expect([owners(item), item.fanOut]).toEqual([expected, fanOut]);
  });

  it('a leader before the units is still dropped, not joined to them', () => {
    expect(owners(only('推进。（李四副市长、市公安局牵头）'))).toEqual(['市公安局/lead']);
  });
});

describe('a fan-out phrase among the co-units', () => {
  it('配合单位：各县（市、区）政府 makes the counties co-units of the item, not leads', () => {
    const item = only('发展会展经济。\n牵头单位：市商务局\n配合单位：各县（市、区）政府\n完成时限：2024年底前');
    expect(owners(item)).toEqual(['市商务局/lead']);
    expect([item.fanOut, item.fanOutRole, item.due]).toEqual(['counties', 'co', '2024-12-31']);
  });

  it.each([
    ['协办单位：各县（市、区）人民政府', '主办单位：市商务局；协办单位：各县（市、区）人民政府'],
    ['配合 in a parenthesis', '（市商务局牵头，市财政局、各县区政府配合）'],
    ['参与单位', '（牵头单位：市商务局；参与单位：各县（市、区）政府）'],
  ])('%s', (_name, annotation) => {
    const item = only(`发展会展经济。${annotation}`);
    expect(item.owners[0]).toEqual({ name: '市商务局', role: 'lead' });
    expect([item.fanOut, item.fanOutRole]).toEqual(['counties', 'co']);
  });

  it('a fan-out among the leads keeps leading, and the field is absent', () => {
    for (const annotation of ['（市商务局、各县（市、区）政府牵头）', '牵头单位：市商务局、各县（市、区）政府；配合单位：各县（市、区）政府']) {
      const item = only(`发展会展经济。${annotation}`);
      expect(item.fanOut).toBe('counties');
      expect('fanOutRole' in item).toBe(false);
    }
  });
});

describe('traditional script reads as the mainland terms', () => {
  /** Each keyword the parser looks for, as a traditional-script rendering writes it. */
  const KEYWORDS: ReadonlyArray<readonly [string, string]> = [
    ['牽頭單位：', '牵头单位:'],
    ['牽頭部門', '牵头部门'],
    ['責任單位', '责任单位'],
    ['主辦單位', '主办单位'],
    ['主責單位', '主责单位'],
    ['負責單位', '负责单位'],
    ['部門分工', '部门分工'],
    ['配合單位', '配合单位'],
    ['協辦單位', '协办单位'],
    ['參與部門', '参与部门'],
    ['會辦單位', '会办单位'],
    ['完成時限', '完成时限'],
    ['完成時間', '完成时间'],
    ['時間節點', '时间节点'],
    ['辦結時限', '办结时限'],
    ['牽頭負責', '牵头负责'],
    ['按職責分工負責', '按职责分工负责'],
    ['分別負責', '分别负责'],
    ['等單位', '等单位'],
    ['以及', '以及'],
    ['與', '与'],
    ['各縣（市、區）政府', '各县(市、区)政府'],
    ['各縣（市、區）人民政府', '各县(市、区)人民政府'],
    ['各區縣', '各区县'],
    ['年底前', '年底前'],
    ['長期堅持', '长期坚持'],
    ['持續開展', '持续开展'],
    ['常態化推進', '常态化推进'],
    ['第一條', '第一条'],
    ['兩', '两'],
    ['常務副市長', '常务副市长'],
    ['秘書長', '秘书长'],
    ['海關', '海关'],
    ['市婦聯', '市婦联'],
    ['集團', '集团'],
    ['力爭', '力争'],
  ];

  it.each(KEYWORDS)('%s folds to %s', (traditional, mainland) => {
    expect(fold(traditional)).toBe(mainland);
  });

  it('finds a title written 計畫 (the Taiwan spelling of 计划) after a cover line', () => {
    expect(parse('各縣（市、區）人民政府：\n某市2024年營商環境工作計畫\n一、推進。（市商務局牽頭）', {}).title).toBe('某市2024年營商環境工作計畫');
  });

  it('reads a 繁體 rendering of a mainland plan: owners, the 及 split, a co fan-out, deadlines and targets', () => {
    const {
      title,
      year,
      items: found,
      warnings,
    } = parse(
      `某市2024年優化營商環境工作方案
一、深化改革
（一）推進投資審批制度改革，2024年6月底前完成。（市發展改革委牽頭，市財政局配合）
（二）完善財政預算管理。（市財政局牽頭，市商務局及各縣（市、區）政府按職責分工負責）
（三）發展會展經濟，力爭全年新增展會10個。
牽頭單位：市商務局
協辦單位：各縣（市、區）人民政府
完成時限：2024年底前
（四）提升通關效率。（廣州、深圳、拱北海關負責，長期堅持）`,
      {},
    );
    expect([title, year, warnings]).toEqual(['某市2024年優化營商環境工作方案', 2024, []]);
    expect(found.map((i) => [i.number, i.section, owners(i), i.fanOut, i.fanOutRole ?? null, i.due, i.dueText])).toEqual([
      ['（一）', '深化改革', ['市發展改革委/lead', '市財政局/co'], null, null, '2024-06-30', '2024年6月底前'],
      ['（二）', '深化改革', ['市財政局/lead', '市商務局/co'], 'counties', null, null, null],
      ['（三）', '深化改革', ['市商務局/lead'], 'counties', 'co', '2024-12-31', '2024年底前'],
      ['（四）', '深化改革', ['廣州、深圳、拱北海關/lead'], null, null, null, '長期堅持'],
    ]);
    expect(found[2]!.targets).toEqual(['力爭全年新增展會10個']);
    expect(found.flatMap((i) => i.warnings)).toEqual([]);
  });
});
