import { describe, expect, it } from '@jest/globals';
import { type PlanBlock, type PlanItem, parseDocument } from './index.js';
import { headerKind, NO_TASK_COLUMN, ownerList } from './tables.js';

const owners = (item: PlanItem) => item.owners.map((o) => `${o.name}/${o.role}`);
const table = (rows: string[][]): PlanBlock => ({ kind: 'table', rows });
const paragraph = (text: string): PlanBlock => ({ kind: 'paragraph', text });
const read = (...blocks: PlanBlock[]) => parseDocument({ blocks }, {});

describe('header words', () => {
  it.each([
    ['序号', 'number'],
    ['工作任务', 'task'],
    ['重点工作', 'task'],
    ['主要任务', 'task'],
    ['任务内容', 'task'],
    ['内容与要求', 'task'],
    ['具体措施', 'task'],
    ['工作措施', 'task'],
    ['牵头单位', 'lead'],
    ['主办单位', 'lead'],
    ['牵头部门', 'lead'],
    ['牽頭單位', 'lead'],
    ['配合单位', 'co'],
    ['协办单位', 'co'],
    ['参与单位', 'co'],
    ['责任主体与协同单位', 'co'],
    ['责任单位', 'unit'],
    ['責任單位', 'unit'],
    ['责任\n单位', 'unit'],
    ['责任 单位', 'unit'],
    ['完成时限', 'deadline'],
    ['完成時限', 'deadline'],
    ['完成时间', 'deadline'],
    ['时间节点', 'deadline'],
    ['完成时限（2024年）', 'deadline'],
    ['目标任务', 'target'],
    ['攻坚目标', 'target'],
    ['年度目标', 'target'],
    ['责任领导', 'leader'],
    ['分管领导', 'leader'],
    ['牵头领导', 'leader'],
    ['责任人', 'leader'],
    ['进展情况', 'progress'],
    ['完成情况', 'progress'],
    ['存在问题', 'progress'],
    ['备注', 'remarks'],
    ['2022年预期目标', 'target'],
    ['2024年度指标', 'target'],
    ['区本级任务数', 'target'],
    ['1-10月推进情况', 'progress'],
    ['推进情况', 'progress'],
    // Traditional script, as Hong Kong and Taiwan renderings of mainland tables write them.
    ['目標任務', 'target'],
    ['年度指標', 'target'],
    ['分管領導', 'leader'],
    ['進展情況', 'progress'],
    ['備註', 'remarks'],
    ['具體舉措', 'task'],
  ])('%s is a %s column', (header, kind) => {
    expect(headerKind(header)).toBe(kind);
  });

  it.each(['2017年政务公开工作要点', '市发改委牵头', '推进重点工作', '市财政局', '2024年6月底前', '推进“一网通办”，政务服务事项网上可办率达到95%以上。'])(
    '%s is data, not a header',
    (cell) => {
      expect(headerKind(cell)).toBeNull();
    },
  );
});

describe('a table read by its header words', () => {
  it('finds its columns in any order, and reads past the leader, progress and remarks columns', () => {
    const plan = read(
      paragraph('某市2024年优化营商环境重点任务分工表'),
      table([
        ['完成时限', '牵头单位', '序号', '重点工作', '配合单位', '责任领导', '进展情况', '备注'],
        ['2024年6月底前', '市发展改革委', '1', '推进“一网通办”，网上可办率达到95%以上。', '市财政局、市公安局', '张三', '已完成方案', '无'],
        ['2024年9月底前', '市市场监管局', '2', '完善企业开办一站式服务。', '', '李四副市长', '', ''],
      ]),
    );
    expect([plan.title, plan.year, plan.warnings]).toEqual(['某市2024年优化营商环境重点任务分工表', 2024, []]);
    expect(plan.items.map((i) => [i.number, i.title, owners(i), i.due, i.dueText])).toEqual([
      ['1', '推进“一网通办”，网上可办率达到95%以上', ['市发展改革委/lead', '市财政局/co', '市公安局/co'], '2024-06-30', '2024年6月底前'],
      ['2', '完善企业开办一站式服务', ['市市场监管局/lead'], '2024-09-30', '2024年9月底前'],
    ]);
    expect(plan.items[0]!.body).toBe('推进“一网通办”，网上可办率达到95%以上。');
    expect(plan.items[0]!.targets).toEqual(['网上可办率达到95%以上']);
    expect(plan.items.map((i) => i.warnings)).toEqual([[], []]);
  });

  it('takes 责任单位 as the lead when it is the only unit column, and as co-units beside 牵头单位', () => {
    const alone = read(
      table([
        ['序号', '工作任务', '责任单位', '完成时间'],
        ['1', '推进数据共享。', '市政数局、市公安局', '2024年12月底前'],
      ]),
    );
    expect(owners(alone.items[0]!)).toEqual(['市政数局/lead', '市公安局/lead']);
    const beside = read(
      table([
        ['序号', '工作任务', '牵头单位', '责任单位', '完成时间'],
        ['1', '推进数据共享。', '市政数局', '市公安局、市财政局', '2024年12月底前'],
      ]),
    );
    expect(owners(beside.items[0]!)).toEqual(['市政数局/lead', '市公安局/co', '市财政局/co']);
  });
});

describe('a table’s header over two rows or two lines, or in traditional script', () => {
  it('reads a two-row header (责任分工 over 牵头单位 and 配合单位), its merged cells repeated', () => {
    const { items } = read(
      table([
        ['序号', '工作任务', '责任分工', '责任分工', '完成时限'],
        ['序号', '工作任务', '牵头单位', '配合单位', '完成时限'],
        ['1', '建设城市运行管理平台。', '市政数局', '市住建局', '2024年底前'],
      ]),
    );
    expect(items.map((i) => [i.number, owners(i), i.due])).toEqual([['1', ['市政数局/lead', '市住建局/co'], '2024-12-31']]);
  });

  it('skips a two-row header repeated after a page break', () => {
    const header = [
      ['序号', '工作任务', '责任分工', '责任分工'],
      ['序号', '工作任务', '牵头单位', '配合单位'],
    ];
    const { items } = read(
      table([...header, ['1', '推进数据共享。', '市政数局', '市公安局'], ...header, ['2', '开展攻防演练。', '市委网信办', '']]),
      paragraph('2024年'),
    );
    expect(items.map((i) => [i.number, owners(i)])).toEqual([
      ['1', ['市政数局/lead', '市公安局/co']],
      ['2', ['市委网信办/lead']],
    ]);
  });

  it('reads a header cell split over two lines, or over two rows, as one header', () => {
    const lines = read(
      table([
        ['序号', '工作\n任务', '责任\n单位', '完成 时限'],
        ['1', '推进数据共享。', '市政数局', '6月底前'],
      ]),
      paragraph('2024年'),
    );
    expect(lines.items.map((i) => [i.title, owners(i), i.due])).toEqual([['推进数据共享', ['市政数局/lead'], '2024-06-30']]);
    const rows = read(
      table([
        ['序号', '工作任务', '责任', '完成时限'],
        ['', '', '单位', ''],
        ['1', '推进数据共享。', '市政数局', '2024年6月底前'],
      ]),
    );
    expect(rows.items.map((i) => owners(i))).toEqual([['市政数局/lead']]);
  });

  it('reads traditional-script headers', () => {
    const { items } = read(
      table([
        ['序號', '工作任務', '牽頭單位', '責任單位', '完成時限'],
        ['1', '推進政務服務標準化。', '市發展改革局', '市財政局', '2023年底前'],
      ]),
    );
    expect(items.map((i) => [owners(i), i.due])).toEqual([[['市發展改革局/lead', '市財政局/co'], '2023-12-31']]);
  });
});

describe('sections and merged cells in a table', () => {
  it('takes a row spanning the table as the section of the rows below, and a merged lead for every row it covers', () => {
    const { items, warnings } = read(
      paragraph('2024年数字政府工作任务清单'),
      table([
        ['序号', '重点任务', '牵头单位', '配合单位', '完成时限'],
        ['一、夯实数字底座', '一、夯实数字底座', '一、夯实数字底座', '一、夯实数字底座', '一、夯实数字底座'],
        ['1', '推进政务云扩容。', '市政数局', '市财政局', '6月底前'],
        ['2', '完善政务外网。', '市政数局', '', '年底前'],
        ['二', '提升服务水平', '', '', ''],
        ['3', '深化“一网通办”。', '市行政服务中心', '各县（市、区）政府', '第三季度'],
      ]),
    );
    expect(warnings).toEqual([]);
    expect(items.map((i) => [i.number, i.section, owners(i), i.fanOut, i.due])).toEqual([
      ['1', '夯实数字底座', ['市政数局/lead', '市财政局/co'], null, '2024-06-30'],
      ['2', '夯实数字底座', ['市政数局/lead'], null, '2024-12-31'],
      ['3', '提升服务水平', ['市行政服务中心/lead'], 'counties', '2024-09-30'],
    ]);
  });

  it('reads a 重点任务 merged over its 具体措施 as their section', () => {
    const { items } = read(
      table([
        ['序号', '重点任务', '具体措施', '责任单位', '完成时限'],
        ['1', '优化营商环境', '压减企业开办时间至1个工作日。', '市市场监管局', '2024年6月底前'],
        ['2', '优化营商环境', '推行工程建设项目“一站式”审批。', '市住建局', '2024年底前'],
      ]),
    );
    expect(items.map((i) => [i.number, i.section, i.title])).toEqual([
      ['1', '优化营商环境', '压减企业开办时间至1个工作日'],
      ['2', '优化营商环境', '推行工程建设项目“一站式”审批'],
    ]);
  });
});

describe('an item given several rows under one merged cell', () => {
  it('is one item: the merged cell starting with its number is its text, the rows’ own cells joined', () => {
    const step = (due: string) => ['17.免除中职学费。(牵头单位:市教育局)', '落实免学费政策。', due, '孟晖'];
    const { items } = read(paragraph('2017年实事办理'), table([['责任事项', '工作措施', '完成时限', '总责任人'], step('3月'), step('6月'), step('12月')]));
    expect(items.map((i) => [i.number, i.title, owners(i)])).toEqual([['17.', '免除中职学费', ['市教育局/lead']]]);
  });

  it('under a merged 序号 is one item, while rows with numbers of their own stay items', () => {
    const { items } = read(
      paragraph('2024年重点工作'),
      table([
        ['序号', '重点工作', '牵头单位', '完成时限'],
        ['1', '推进政务云扩容。', '市政数局', '6月底前'],
        ['1', '推进政务云扩容。', '市政数局', '12月底前'],
        ['2', '完善政务外网。', '市政数局', '年底前'],
        ['3', '完善政务外网。', '市政数局', '年底前'],
      ]),
    );
    expect(items.map((i) => i.number)).toEqual(['1', '2', '3']);
  });
});

describe('owner and target cells', () => {
  it('reads units one per line in a cell, a fan-out phrase, and role words inside the cell', () => {
    const { items } = read(
      table([
        ['序号', '工作任务', '责任单位', '完成时限'],
        ['1', '推进数据共享。', '市政数局牵头，\n市公安局\n市财政局配合', '2024年底前'],
        ['2', '推进政务公开。', '各县（市、区）\n人民政府', '2024年底前'],
      ]),
    );
    expect(items.map((i) => [owners(i), i.fanOut])).toEqual([
      [['市政数局/lead', '市公安局/co', '市财政局/co'], null],
      [[], 'counties'],
    ]);
  });

  it('takes the targets from the target column, and the number from the task text when there is no 序号', () => {
    const { items } = read(
      table([
        ['重点工作', '年度目标', '牵头单位'],
        ['135.推进“跨省通办”。', '新增跨省通办事项20项；\n办结率达到98%', '市政数局'],
      ]),
      paragraph('2024年'),
    );
    expect(items.map((i) => [i.number, i.title, i.targets])).toEqual([['135.', '推进“跨省通办”', ['新增跨省通办事项20项', '办结率达到98%']]]);
  });
});

describe('a document’s tables and the prose around them', () => {
  it('takes the title from a caption row spanning the table when there is no paragraph', () => {
    const plan = read(
      table([
        ['2024年重点工作任务分解表', '2024年重点工作任务分解表', '2024年重点工作任务分解表'],
        ['序号', '工作任务', '牵头单位'],
        ['1', '推进数据共享。', '市政数局'],
      ]),
    );
    expect([plan.title, plan.year, plan.items.length]).toEqual(['2024年重点工作任务分解表', 2024, 1]);
  });

  it('yields no items from a table without a task column, and says why', () => {
    const plan = read(
      paragraph('2024年工作安排'),
      table([
        ['单位', '联系人', '电话'],
        ['市政数局', '张三', '12345'],
      ]),
    );
    expect(plan.items).toEqual([]);
    expect(plan.warnings).toEqual([NO_TASK_COLUMN, '未识别到任何条目']);
  });

  it('takes items from the tables only, leaving the prose around them for the title and notes', () => {
    const plan = read(
      paragraph('关于印发《2024年重点工作任务分工》的通知'),
      paragraph('一、各单位要高度重视。（市政府办公室牵头）'),
      table([
        ['序号', '工作任务', '牵头单位'],
        ['1', '推进数据共享。', '市政数局'],
      ]),
      paragraph('二、请于每季度末报送进展。'),
    );
    expect(plan.items.map((i) => i.title)).toEqual(['推进数据共享']);
    expect(plan.warnings).toEqual([]);
  });

  it('reads the prose when the tables give no items', () => {
    const plan = read(
      paragraph('2024年工作要点'),
      paragraph('一、推进数据共享。（市政数局牵头）'),
      table([
        ['单位', '联系人'],
        ['市政数局', '张三'],
      ]),
    );
    expect(plan.items.map((i) => [i.number, owners(i)])).toEqual([['一、', ['市政数局/lead']]]);
    expect(plan.warnings).toEqual([NO_TASK_COLUMN]);
  });

  it('names the table in a warning when the document has several', () => {
    const plan = read(
      table([
        ['序号', '工作任务', '牵头单位'],
        ['1', '推进数据共享。', '市政数局'],
      ]),
      table([['签发人', '张三']]),
      paragraph('2024年'),
    );
    expect(plan.warnings).toEqual([`第2个${NO_TASK_COLUMN}`]);
  });

  it('skips a header repeated after a page break and an empty row, and warns about a row with units but no task', () => {
    const plan = read(
      table([
        ['序号', '工作任务', '牵头单位'],
        ['1', '推进数据共享。', '市政数局'],
        ['', '', ''],
        ['序号', '工作任务', '牵头单位'],
        ['2', '', '市公安局'],
        ['3', '开展攻防演练。', '市委网信办'],
      ]),
      paragraph('2024年'),
    );
    expect(plan.items.map((i) => i.number)).toEqual(['1', '3']);
    expect(plan.warnings).toEqual(['表格第5行没有任务内容，已略过']);
  });
});

describe('an owner cell as one list', () => {
  it.each([
    ['市发展改革委\n市财政局', '市发展改革委、市财政局'],
    ['市财政局 市公安局', '市财政局、市公安局'],
    ['市发展和改革\n委员会', '市发展和改革委员会'],
    ['各县（市、区）\n人民政府', '各县（市、区）人民政府'],
    ['市政数局牵头，\n市公安局配合', '市政数局牵头，市公安局配合'],
    ['市政数局、\n市公安局', '市政数局、市公安局'],
  ])('%j → %s', (cell, list) => {
    expect(ownerList(cell)).toBe(list);
  });
});
