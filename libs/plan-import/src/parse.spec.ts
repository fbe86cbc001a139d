import { describe, expect, it } from '@jest/globals';
import { parse, type PlanItem, PlanYearMissingError } from './index.js';
import { toAscii } from './spec-support.js';

const owners = (item: PlanItem) => item.owners.map((o) => `${o.name}/${o.role}`);

describe('a 工作要点 with 一、 sections and （一） items', () => {
  const plan = `各县（市、区）人民政府，市政府各部门：
　　《清远市数字政府建设2024年工作要点》已经市人民政府同意，现印发给你们，请认真贯彻执行。
清远市政务服务数据管理局
2024年3月1日
清远市数字政府建设2024年工作要点
　　2024年是实施“十四五”规划的关键一年。
一、夯实数字政府基础能力
（一）推进政务云扩容。完成政务云二期建设，
资源利用率达到70%以上。（市政务服务数据管理局、发改局、各县（市、区）政府牵头）
（二）完善政务外网。6月底前完成升级改造。（市政务服务数据管理局牵头，市财政局配合）
（三）推进数据共享。全年新增共享接口50个。
二、提升政务服务水平
（四）深化“一网通办”。政务服务事项网上可办率达到95%以上，第三季度完成系统对接。（各县（市、区）人民政府负责）
各地各部门要认真抓好落实。`;

  for (const [style, text] of [
    ['full-width', plan],
    ['ASCII', toAscii(plan)],
  ] as const) {
    describe(`written with ${style} punctuation`, () => {
      const parsed = parse(text, {});
      const [one, two, three, four] = parsed.items as [PlanItem, PlanItem, PlanItem, PlanItem];

      it('reads the title line, not the salutation, and the year from the title', () => {
        expect(parsed.title).toBe('清远市数字政府建设2024年工作要点');
        expect(parsed.year).toBe(2024);
      });

      it('takes the items, as printed, and leaves out the cover letter and the closing paragraph', () => {
        expect(parsed.items.map((i) => i.number)).toEqual(style === 'ASCII' ? ['(一)', '(二)', '(三)', '(四)'] : ['（一）', '（二）', '（三）', '（四）']);
        expect(four.body).not.toContain('抓好落实');
        expect(parsed.warnings).toEqual([]);
      });

      it('names each item’s section by its heading, without the number', () => {
        expect(parsed.items.map((i) => i.section)).toEqual(['夯实数字政府基础能力', '夯实数字政府基础能力', '夯实数字政府基础能力', '提升政务服务水平']);
      });

      it('joins an item that runs over two lines and keeps the owners out of its body', () => {
        expect(one.title).toBe('推进政务云扩容');
        expect(one.body).toBe(
          style === 'ASCII' ? '推进政务云扩容。完成政务云二期建设,资源利用率达到70%以上。' : '推进政务云扩容。完成政务云二期建设，资源利用率达到70%以上。',
        );
        expect(one.targets).toEqual(['资源利用率达到70%以上']);
      });

      it('reads the owners: the city prefix inherited, the fan-out phrase apart, the role words', () => {
        expect(owners(one)).toEqual(['市政务服务数据管理局/lead', '市发改局/lead']);
        expect(one.fanOut).toBe('counties');
        expect(owners(two)).toEqual(['市政务服务数据管理局/lead', '市财政局/co']);
        expect(two.fanOut).toBeNull();
      });

      it('fans an item out to the counties without a warning when they are its only owners', () => {
        expect(four.owners).toEqual([]);
        expect(four.fanOut).toBe('counties');
        expect(four.warnings).toEqual([]);
      });

      it('keeps an item whose owners are not named, with a warning', () => {
        expect(three.owners).toEqual([]);
        expect(three.warnings).toEqual(['未能识别责任单位']);
        expect(three.targets).toEqual(['全年新增共享接口50个']);
      });

      it('reads deadlines relative to the plan year', () => {
        expect([one.due, two.due, three.due, four.due]).toEqual([null, '2024-06-30', null, '2024-09-30']);
        expect(two.dueText).toBe('6月底前');
        expect(four.dueText).toBe('第三季度');
        expect(four.targets).toEqual(['政务服务事项网上可办率达到95%以上']);
      });
    });
  }
});

describe('numbering styles: 一、, 1., 1、 and (1)', () => {
  it('reads 一、 as the items when nothing finer is numbered', () => {
    const { items } = parse(
      `2023年重点工作任务分工
一、推进政务云建设。（市政数局牵头）
二、完善政务外网，2023年6月前完成。（市政数局、市财政局负责）`,
      {},
    );
    expect(items.map((i) => [i.number, i.section, i.title, i.due])).toEqual([
      ['一、', null, '推进政务云建设', null],
      ['二、', null, '完善政务外网，2023年6月前完成', '2023-06-30'],
    ]);
    expect(owners(items[1]!)).toEqual(['市政数局/lead', '市财政局/lead']);
  });

  it('reads 1. items under 一、 sections, restarting per section, and not a decimal or a number inside a sentence', () => {
    const { items, warnings } = parse(
      `某市2024年数字政府改革工作方案
一、基础设施
1. 建设“数字政府
2.0”平台，对照第1.2节和
1.5版本的要求开展评估。
（市政数局牵头）
2. 完善政务外网。
牵头单位：市政数局
配合单位：市财政局
完成时限：2024年12月底
二、数据共享
1. 推进数据共享，共享数据不少于100项。（市政数局、公安局牵头）`,
      {},
    );
    expect(warnings).toEqual([]);
    expect(items.map((i) => [i.number, i.section])).toEqual([
      ['1.', '基础设施'],
      ['2.', '基础设施'],
      ['1.', '数据共享'],
    ]);
    expect(items[0]!.body).toBe('建设“数字政府2.0”平台，对照第1.2节和1.5版本的要求开展评估。');
    expect(owners(items[1]!)).toEqual(['市政数局/lead', '市财政局/co']);
    expect(items[1]!.body).toBe('完善政务外网。');
    expect([items[1]!.due, items[1]!.dueText]).toEqual(['2024-12-31', '2024年12月底']);
    expect(owners(items[2]!)).toEqual(['市政数局/lead', '市公安局/lead']);
    expect(items[2]!.targets).toEqual(['共享数据不少于100项']);
  });

  it('reads 1、 items with ASCII punctuation', () => {
    const { items } = parse(
      `韶关市2023年营商环境工作要点
1、优化审批流程(市发改局牵头,市财政局配合)
2、推进“一件事一次办”,上半年完成(市政数局牵头)`,
      {},
    );
    expect(items.map((i) => i.number)).toEqual(['1、', '2、']);
    expect(owners(items[0]!)).toEqual(['市发改局/lead', '市财政局/co']);
    expect([items[1]!.due, items[1]!.dueText, items[1]!.targets]).toEqual(['2023-06-30', '上半年', []]);
  });

  it('reads (1) items under （一） headings, with owners in 〔〕 and [] brackets', () => {
    const { items } = parse(
      `2024年网络安全工作要点
（一）安全管理
（1）开展攻防演练，第四季度前完成。〔牵头单位：市委网信办；配合单位：市公安局〕
（2）开展等级保护测评。[牵头单位:市政数局]`,
      {},
    );
    expect(items.map((i) => [i.number, i.section, i.body])).toEqual([
      ['（1）', '安全管理', '开展攻防演练，第四季度前完成。'],
      ['（2）', '安全管理', '开展等级保护测评。'],
    ]);
    expect(owners(items[0]!)).toEqual(['市委网信办/lead', '市公安局/co']);
    expect([items[0]!.due, items[0]!.dueText]).toEqual(['2024-12-31', '第四季度前']);
    expect(owners(items[1]!)).toEqual(['市政数局/lead']);
  });
});

describe('numbering styles: ① and 第一条, and items enumerated inline (一是…二是…)', () => {
  it('reads ① items, with 责任单位, 主办/协办 and a long-term deadline', () => {
    const { items } = parse(
      `2024年数据工作计划
① 建设数据共享平台（责任单位：市政数局、发改局；完成时限：2024年9月30日前）
② 开展数据治理（主办：市政数局　协办：市公安局）
③ 推进数据开放
（完成时间：长期坚持）`,
      {},
    );
    expect(items.map((i) => i.number)).toEqual(['①', '②', '③']);
    expect(owners(items[0]!)).toEqual(['市政数局/lead', '市发改局/lead']);
    expect([items[0]!.due, items[0]!.dueText]).toEqual(['2024-09-30', '2024年9月30日前']);
    expect(owners(items[1]!)).toEqual(['市政数局/lead', '市公安局/co']);
    expect([items[2]!.due, items[2]!.dueText, items[2]!.warnings]).toEqual([null, '长期坚持', ['未能识别责任单位']]);
    expect(items[2]!.body).toBe('推进数据开放');
  });

  it('reads 第一条 items in traditional characters, dropping a leader named before the units', () => {
    const { items, title, year } = parse(
      `某市2023年政務工作任務分工方案
第一條 推進政務服務標準化。
責任單位：張三副市長，市發展改革局、財政局
完成時限：2023年底前
第二條 優化營商環境。
牽頭單位：市場監管局；配合單位：市商務局
完成時間：2023年第三季度`,
      {},
    );
    expect([title, year]).toEqual(['某市2023年政務工作任務分工方案', 2023]);
    expect(items.map((i) => [i.number, i.title])).toEqual([
      ['第一條', '推進政務服務標準化'],
      ['第二條', '優化營商環境'],
    ]);
    expect(owners(items[0]!)).toEqual(['市發展改革局/lead', '市財政局/lead']);
    expect([items[0]!.due, items[0]!.dueText]).toEqual(['2023-12-31', '2023年底前']);
    expect(owners(items[1]!)).toEqual(['市場監管局/lead', '市商務局/co']);
    expect([items[1]!.due, items[1]!.dueText]).toEqual(['2023-09-30', '2023年第三季度']);
  });

  it('splits items written inline as 一是…二是…三是…, in one paragraph or one per line', () => {
    const { items } = parse(
      `2024年数字政府工作要点
一、夯实数字底座。一是推进政务云扩容（市政数局牵头）；二是完善政务外网（市政数局、各县区政府负责）；三是建设视频共享平台，6月底前上线。
二、加强安全保障
一是开展攻防演练（市委网信办牵头，市公安局配合）；
二是开展密码应用评估（市委机要和保密局负责）。`,
      {},
    );
    expect(items.map((i) => [i.number, i.section, i.title])).toEqual([
      ['一是', '夯实数字底座', '推进政务云扩容'],
      ['二是', '夯实数字底座', '完善政务外网'],
      ['三是', '夯实数字底座', '建设视频共享平台，6月底前上线'],
      ['一是', '加强安全保障', '开展攻防演练'],
      ['二是', '加强安全保障', '开展密码应用评估'],
    ]);
    expect(items[1]!.fanOut).toBe('counties');
    expect([items[2]!.due, items[2]!.warnings]).toEqual(['2024-06-30', ['未能识别责任单位']]);
    expect(owners(items[3]!)).toEqual(['市委网信办/lead', '市公安局/co']);
  });

  it('splits an inline enumeration in a plan with no printed numbers', () => {
    const { items, warnings } = parse(
      `2024年重点工作安排
今年重点抓好三项工作：一是推进政务云扩容（市政数局牵头）；二是完善政务外网（市政数局负责）；三是加强安全保障（市委网信办牵头）。
各单位要抓好落实。`,
      {},
    );
    expect(items.map((i) => [i.number, i.section, i.title, owners(i)])).toEqual([
      ['一是', null, '推进政务云扩容', ['市政数局/lead']],
      ['二是', null, '完善政务外网', ['市政数局/lead']],
      ['三是', null, '加强安全保障', ['市委网信办/lead']],
    ]);
    expect(warnings).toEqual([]);
  });
});

describe('numbering styles: sub-points, 1．, single-item sections and numbers beyond ten', () => {
  it('keeps sub-points inside their item when the owners are named once for the whole item', () => {
    const { items } = parse(
      `2024年工作要点
（一）推进政务云建设：
1. 扩容计算资源；
2. 完善管理制度。
（市政数局牵头）
（二）完善政务外网。（市政数局牵头）`,
      {},
    );
    expect(items.map((i) => i.number)).toEqual(['（一）', '（二）']);
    expect(items[0]!.body).toBe('推进政务云建设：1. 扩容计算资源；2. 完善管理制度。');
  });

  it('keeps an inline enumeration inside its item when the owners are named once for the whole item', () => {
    const { items } = parse(
      `2024年工作要点
（一）推进政务云建设。一是扩容计算资源；二是完善管理制度。（市政数局牵头）
（二）完善政务外网。一是升级骨干网；二是扩容互联网出口。（市政数局牵头）`,
      {},
    );
    expect(items.map((i) => [i.number, i.body])).toEqual([
      ['（一）', '推进政务云建设。一是扩容计算资源；二是完善管理制度。'],
      ['（二）', '完善政务外网。一是升级骨干网；二是扩容互联网出口。'],
    ]);
  });

  it('reads 1． items (full-width full stop) with 牵头单位/配合单位 lines, short names and 完成时限', () => {
    const { items, year } = parse(
      `韶关市政务服务便民热线2024年工作任务分工方案
一、提升接诉即办能力
1．推动热线工单“一号通办”，全年按时办结率达到99%以上。
牵头单位：市政数局；配合单位：市发改局、市卫健局
完成时限：2024年6月底前
2．完善县区工单督办机制。（各县（市、区）政府负责）
二、强化考核通报
3．每季度通报各单位办理情况。（市政府督查室牵头，人社局配合）`,
      {},
    );
    expect(year).toBe(2024);
    expect(items.map((i) => [i.number, i.section, owners(i), i.fanOut, i.due])).toEqual([
      ['1．', '提升接诉即办能力', ['市政数局/lead', '市发改局/co', '市卫健局/co'], null, '2024-06-30'],
      ['2．', '提升接诉即办能力', [], 'counties', null],
      ['3．', '强化考核通报', ['市政府督查室/lead', '市人社局/co'], null, null],
    ]);
    expect(items[0]!.targets).toEqual(['全年按时办结率达到99%以上']);
  });

  it('treats a section that holds a single item as a section', () => {
    const { items } = parse(
      `2024年工作要点
一、基础设施
（一）推进政务云建设。（市政数局牵头）
二、数据共享
（二）推进数据共享。（市政数局牵头）`,
      {},
    );
    expect(items.map((i) => [i.number, i.section])).toEqual([
      ['（一）', '基础设施'],
      ['（二）', '数据共享'],
    ]);
  });

  it('numbers beyond ten: （十一）, （二十）, （九十九）', () => {
    const { items } = parse(
      ['2024年工作要点', '（十一）甲。（市政数局牵头）', '（二十）乙。（市政数局牵头）', '（九十九）丙。（市政数局牵头）'].join('\n'),
      {},
    );
    expect(items.map((i) => i.number)).toEqual(['（十一）', '（二十）', '（九十九）']);
  });
});

describe('owner styles', () => {
  const cases: Array<[string, string, string[], 'counties' | null]> = [
    ['trailing parenthesis, nested county parenthesis', '推进。（市政务服务数据管理局、各县(市、区)政府牵头）', ['市政务服务数据管理局/lead'], 'counties'],
    ['lead and co in one parenthesis', '推进。（市发改局牵头，市财政局配合）', ['市发改局/lead', '市财政局/co'], null],
    [
      'several leads then several co-units',
      '推进。（市发改局、财政局牵头，市公安局、交通运输局配合）',
      ['市发改局/lead', '市财政局/lead', '市公安局/co', '市交通运输局/co'],
      null,
    ],
    [
      '牵头单位 and 配合单位 on the item line',
      '推进。牵头单位：市公安局；配合单位：市财政局、交通运输局',
      ['市公安局/lead', '市财政局/co', '市交通运输局/co'],
      null,
    ],
    ['责任单位', '推进。责任单位：市公安局、市财政局', ['市公安局/lead', '市财政局/lead'], null],
    ['主办单位 and 协办单位 on lines of their own', '推进。\n主办单位：市发改局\n协办单位：财政局', ['市发改局/lead', '市财政局/co'], null],
    ['主办 and 协办', '推进。（主办：市政数局；协办：市公安局）', ['市政数局/lead', '市公安局/co'], null],
    ['〔牵头单位:〕', '推进。〔牵头单位:市公安局〕', ['市公安局/lead'], null],
    ['[牵头单位:]', '推进。[牵头单位:市公安局;配合单位:市财政局]', ['市公安局/lead', '市财政局/co'], null],
    ['a line of its own under the item', '推进。\n牵头单位：市公安局', ['市公安局/lead'], null],
    ['traditional characters', '推進。\n牽頭單位：市公安局\n配合單位：市財政局', ['市公安局/lead', '市財政局/co'], null],
    ['a leader before the units', '推进。责任单位：张三副市长，市发展改革局、市财政局', ['市发展改革局/lead', '市财政局/lead'], null],
    ['a leader in the parenthesis', '推进。（李四同志，市公安局牵头）', ['市公安局/lead'], null],
    ['a leader and a colon', '推进。责任单位：王五秘书长：市公安局', ['市公安局/lead'], null],
    ['部门分工', '推进。部门分工：市发改局牵头，市财政局配合', ['市发改局/lead', '市财政局/co'], null],
    ['a named city prefix', '推进。（韶关市公安局、交通运输局牵头）', ['韶关市公安局/lead', '韶关市交通运输局/lead'], null],
    [
      'a county-level city keeps its own name',
      '推进。（市政数局、南雄市人民政府、农业农村局牵头）',
      ['市政数局/lead', '南雄市人民政府/lead', '市农业农村局/lead'],
      null,
    ],
    ['市场监管局 is not already prefixed', '推进。（市政数局、市场监管局牵头）', ['市政数局/lead', '市市场监管局/lead'], null],
    ['no prefix to inherit', '推进。（市场监管局、政务服务数据管理局牵头）', ['市场监管局/lead', '政务服务数据管理局/lead'], null],
    ['a unit named twice', '推进。（市公安局牵头，市公安局配合）', ['市公安局/lead'], null],
    ['a parenthesis of organisations without a role word', '推进。（市公安局、市财政局）', ['市公安局/lead', '市财政局/lead'], null],
    ['only the counties', '推进。（各区县负责）', [], 'counties'],
    ['各地', '推进。（各地牵头）', [], 'counties'],
    ['a deadline inside the owners parenthesis', '推进。（市公安局牵头，2023年底前完成）', ['市公安局/lead'], null],
  ];

  it.each(cases)('%s', (_style, item, expected, fanOut) => {
    const [parsed] = parse(`2023年工作要点\n一、${item}`, {}).items;
    expect(owners(parsed!)).toEqual(expected);
    expect(parsed!.fanOut).toBe(fanOut);
    expect(parsed!.body).toBe(item.startsWith('推進') ? '推進。' : '推进。');
    expect(parsed!.warnings).toEqual([]);
  });

  it('reads the deadline written among the owners', () => {
    const [item] = parse('2023年工作要点\n一、推进。（市公安局牵头，2023年底前完成）', {}).items;
    expect([item!.due, item!.dueText]).toEqual(['2023-12-31', '2023年底前']);
  });

  it('leaves prose parentheses in the body', () => {
    const [item] = parse('2023年工作要点\n一、推进城市信息模型（CIM）平台建设，建立项目管理专员（PMC）负责制（试行）。（市住建管理局牵头）', {}).items;
    expect(item!.body).toBe('推进城市信息模型（CIM）平台建设，建立项目管理专员（PMC）负责制（试行）。');
    expect(owners(item!)).toEqual(['市住建管理局/lead']);
  });
});

describe('deadlines in an item', () => {
  const dueOf = (item: string) => {
    const [parsed] = parse(`2023年工作要点\n一、${item}（市公安局牵头）`, {}).items;
    return [parsed!.due, parsed!.dueText];
  };

  it('takes the latest date the text names', () => {
    expect(dueOf('6月底前完成方案，年底前全面推开。')).toEqual(['2023-12-31', '年底前']);
    expect(dueOf('2024年6月底前完成一期，2023年底前完成方案。')).toEqual(['2024-06-30', '2024年6月底前']);
  });

  it('takes the last date of a 完成时限 over the dates in the text', () => {
    const [item] = parse('2023年工作要点\n一、年底前全面推开。\n牵头单位：市公安局\n完成时限：3月底前完成方案，9月底前完成', {}).items;
    expect([item!.due, item!.dueText]).toEqual(['2023-09-30', '9月底前']);
  });

  it('warns about a 完成时限 it cannot read and falls back to the text', () => {
    const [item] = parse('2023年工作要点\n一、年底前全面推开。\n牵头单位：市公安局\n完成时限：按省要求', {}).items;
    expect([item!.due, item!.warnings]).toEqual(['2023-12-31', ['未能识别完成时限：按省要求']]);
  });

  it('has no due date for long-term work', () => {
    expect(dueOf('长期坚持，持续推进。')).toEqual([null, null]);
  });
});

describe('the plan around the items', () => {
  it('takes the year from options before the title', () => {
    expect(parse('2023年工作要点\n一、推进。（市公安局牵头）', { year: 2024 }).year).toBe(2024);
  });

  it('takes the first year in the text when the title has none', () => {
    const plan = parse('数字政府工作要点\n一、2025年6月底前完成。（市公安局牵头）', {});
    expect([plan.year, plan.items[0]!.due]).toEqual([2025, '2025-06-30']);
  });

  it('does not read a quantity such as 2000万亩 as the year', () => {
    expect(() => parse('乡村振兴工作分工\n一、新增高效节水灌溉面积2000万亩。（农业农村部牵头）', {})).toThrow(PlanYearMissingError);
  });

  it('takes the year the text’s dates fall in, not a later deadline', () => {
    expect(parse('工作分工\n一、2023年6月底前完成。（市公安局牵头）\n二、2023年底前完成，2024年6月底前验收。（市财政局牵头）', {}).year).toBe(2023);
  });

  it('does not take the end of a range (2023-2025年) as the plan year', () => {
    expect(parse('工作分工\n一、2023年启动，2023-2025年持续推进。（市公安局牵头）', {}).year).toBe(2023);
  });

  it('takes a cited document’s year 〔2013〕 over a past period 2012年以来 when the title has none', () => {
    expect(parse('道路交通工作分工\n2012年以来形势平稳。根据《通知》(鲁政办字〔2013〕54号)精神:\n一、推进。（市公安局牵头）', {}).year).toBe(2013);
  });

  it('does not take a target year (到2020年) as the plan year', () => {
    expect(parse('工作分工\n2015年起推进。到2020年基本建成。\n一、推进。（市公安局牵头）', {}).year).toBe(2015);
  });

  it('throws PlanYearMissingError when no year is given or written', () => {
    expect(() => parse('数字政府工作要点\n一、年底前完成。（市公安局牵头）', {})).toThrow(PlanYearMissingError);
  });

  it.each([
    ['an attachment label', '附件1'],
    ['a bare attachment label', '附件'],
    ['a 文号', '某市政办发〔2023〕1号'],
    ['a date', '2023年1月5日'],
    ['a salutation', '各区人民政府，市直各单位：'],
  ])('never takes %s for the title, but the line below it', (_what, line) => {
    expect(parse(`${line}\n某市2023年重点工作任务分解表\n一、推进。（市公安局牵头）`, {}).title).toBe('某市2023年重点工作任务分解表');
    expect(parse(`${line}\n关于做好2023年数字政府工作的通知\n一、推进。（市公安局牵头）`, {}).title).toBe('关于做好2023年数字政府工作的通知');
  });

  it('falls back to the first line for the title, and strips 《》', () => {
    expect(parse('关于做好2023年数字政府工作的通知\n一、推进。（市公安局牵头）', {}).title).toBe('关于做好2023年数字政府工作的通知');
    expect(parse('《2023年工作要点》\n一、推进。（市公安局牵头）', {}).title).toBe('2023年工作要点');
  });

  it('warns about text between items that belongs to none, but not about a closing paragraph', () => {
    const { items, warnings } = parse(
      `2023年工作要点
一、推进甲。（市公安局牵头）
这一段不属于任何条目。
二、推进乙。（市公安局牵头）
各地要抓好落实。`,
      {},
    );
    expect(items.map((i) => i.body)).toEqual(['推进甲。', '推进乙。']);
    expect(warnings).toEqual(['第3行的文字不属于任何条目，已略过：这一段不属于任何条目。']);
  });

  it('warns when it finds no items', () => {
    expect(parse('2023年工作要点\n全年工作稳步推进。', {})).toEqual({
      title: '2023年工作要点',
      year: 2023,
      items: [],
      warnings: ['未识别到任何条目'],
    });
  });
});

describe('owner annotations that name a lead and the units responsible', () => {
  it('reads a 责任单位 line after a 牵头单位 line as co-units', () => {
    const [item] = parse('2023年工作分工\n1.稳定经济运行。\n牵头单位:区发改局\n责任单位:立山经济开发区,全区经济运行各专班', {}).items;
    expect(owners(item!)).toEqual(['区发改局/lead', '立山经济开发区/co', '全区经济运行各专班/co']);
  });

  it('reads 责任单位 after 牵头单位 and ； in one bracket as co-units', () => {
    const [item] = parse('2017年实事\n17.免除学费。(牵头单位:市教育局;责任单位:市财政局、市人力资源社会保障局)', {}).items;
    expect(owners(item!)).toEqual(['市教育局/lead', '市财政局/co', '市人力资源社会保障局/co']);
  });

  it('keeps 责任单位 as the leads when no lead is named', () => {
    const [item] = parse('2023年工作分工\n1.稳定经济运行。\n责任单位:区发改局、区财政局', {}).items;
    expect(owners(item!)).toEqual(['区发改局/lead', '区财政局/lead']);
  });
});

describe('fan-out below a district', () => {
  it('reads 各街道 among the co-units as a fan-out, not a unit', () => {
    const [item] = parse('2023年工作分工\n4.促进消费。\n牵头单位:区商务局\n责任单位:各街道,区市场局', {}).items;
    expect([owners(item!), item!.fanOut]).toEqual([['区商务局/lead', '区市场局/co'], 'counties']);
  });
});

describe('role words, lead marks and unit names in owner lists', () => {
  const ownersOf = (text: string) => {
    const [item] = parse(`2023年工作分工\n${text}`, {}).items;
    return [owners(item!), item!.fanOut];
  };

  it('reads 牵头落实 and 分别牵头落实 as role words, not part of the unit', () => {
    expect(ownersOf('1.做好公开。(市发改委牵头落实)')).toEqual([['市发改委/lead'], null]);
    expect(ownersOf('1.做好公开。(市金融办、市财政局分别牵头落实)')).toEqual([['市金融办/lead', '市财政局/lead'], null]);
  });

  it('reads 按职责分工 without 负责 after a named lead as co-units, in traditional script too', () => {
    expect(ownersOf('1.放权。(市政府辦公室牽頭,市財政局按職責分工)')).toEqual([['市政府辦公室/lead', '市財政局/co'], null]);
  });

  it('reads 负责落实 after a named lead as co-units', () => {
    expect(ownersOf('1.做好公开。(市发改委牵头，市财政局负责落实)')).toEqual([['市发改委/lead', '市财政局/co'], null]);
  });

  it('does not give the city prefix to a national body’s branch that names its own place', () => {
    expect(ownersOf('1.做好公开。(市金融办、人民银行潍坊市中心支行、潍坊银监分局分别牵头落实)')).toEqual([
      ['市金融办/lead', '人民银行潍坊市中心支行/lead', '潍坊银监分局/lead'],
      null,
    ]);
  });

  it('reads a unit marked * as the lead of its list, the others as co-units', () => {
    expect(ownersOf('1.做好公开。(区政府办公室*、区财政局)')).toEqual([['区政府办公室/lead', '区财政局/co'], null]);
    expect(ownersOf('1.做好公开。(区财政局、区科技局★、区投促中心)')).toEqual([['区财政局/co', '区科技局/lead', '区投促中心/co'], null]);
  });

  it('reads 排在首位的为牵头单位 as a legend: the first unit leads, the others are co-units', () => {
    expect(ownersOf('1.降低税额。(責任單位:市稅務局、市財政局,排在首位的爲牽頭單位,下同)')).toEqual([['市稅務局/lead', '市財政局/co'], null]);
  });

  it('splits 及 between a unit and a group of units', () => {
    expect(ownersOf('1.放权。(牵头单位:州行政审批服务局;责任单位:州司法局、州委编办及州直相关单位)')).toEqual([
      ['州行政审批服务局/lead', '州司法局/co', '州委编办/co', '州直相关单位/co'],
      null,
    ]);
  });

  it('splits 及 between a group of units and the counties: the group is co, the counties fan out', () => {
    expect(ownersOf('1.放权。(市政府办公室牵头,市级各有关部门及各县市区政府按职责分工负责)')).toEqual([['市政府办公室/lead', '市级各有关部门/co'], 'counties']);
  });
});

describe('a legend for the owner lists below it', () => {
  it('reads 排在首位的为牵头单位，下同 for the later items too: their first unit leads', () => {
    const { items } = parse(
      '2019年政策措施\n1.降低税额。(責任單位:市稅務局、市財政局,排在首位的爲牽頭單位,下同)\n2.降低电价。(責任單位:市發展改革局、市工業和信息化局)\n3.降低运费。(責任單位:市交通運輸局)',
      {},
    );
    expect(items.map(owners)).toEqual([['市稅務局/lead', '市財政局/co'], ['市發展改革局/lead', '市工業和信息化局/co'], ['市交通運輸局/lead']]);
  });

  it('without 下同 the legend holds for its own list only', () => {
    const { items } = parse(
      '2019年政策措施\n1.降低税额。(责任单位:市税务局、市财政局,排在首位的为牵头单位)\n2.降低电价。(责任单位:市发展改革局、市工业和信息化局)',
      {},
    );
    expect(items.map(owners)).toEqual([
      ['市税务局/lead', '市财政局/co'],
      ['市发展改革局/lead', '市工业和信息化局/lead'],
    ]);
  });
});

describe('counties named in a 责任单位 label beside a lead', () => {
  it('still fan out with a share each, as after 负责', () => {
    const [item] = parse('2020年工作分工\n1.放权。(牵头单位:州行政审批服务局;责任单位:州司法局,各县市人民政府)', {}).items;
    expect([owners(item!), item!.fanOut, item!.fanOutRole]).toEqual([['州行政审批服务局/lead', '州司法局/co'], 'counties', undefined]);
  });
});
