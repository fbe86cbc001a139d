import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from './index.js';
import { chinese, toFullWidth } from './spec-support.js';
import { fold } from './text.js';

/**
 * 韶关市数字政府改革建设2023年工作要点 (seed 004), the copy with ASCII punctuation: the repository's
 * own, the one seed:demo imports by default. Read unconditionally: a missing file fails the suite, it never skips.
 */
const seed = readFileSync(new URL('../../../apps/cli/demo/shaoguan-2023-plan.txt', import.meta.url), 'utf8');

/** Every item's owners as the seed names them, the city prefix inherited (checked against the text). */
const OWNERS: ReadonlyArray<readonly [string, string]> = [
  ['(一)', '市政务服务数据管理局'],
  ['(二)', '市政务服务数据管理局'],
  ['(三)', '市政务服务数据管理局、市农业农村局、市住建管理局、市市场监管局、市委政法委、南雄市人民政府、市行政服务中心、市公共资源交易中心'],
  ['(四)', '市政务服务数据管理局、市住建管理局、市发改局'],
  ['(五)', '市政务服务数据管理局、市行政服务中心'],
  ['(六)', '市政务服务数据管理局、市统计局、市发改局'],
  ['(七)', '市市场监管局'],
  ['(八)', '市政务服务数据管理局、市工信局、市商务局'],
  ['(九)', '市政务服务数据管理局、市委政法委、市公安局、市市场监管局、市自然资源局、市发改局'],
  ['(十)', '市政务服务数据管理局'],
  ['(十一)', '市政务服务数据管理局、市自然资源局'],
  ['(十二)', '市政务服务数据管理局、市金融局、市住建管理局、市发改局'],
  ['(十三)', '市政务服务数据管理局、市文广旅体局、市农业农村局'],
  ['(十四)', '市政务服务数据管理局、市公安局、市委网信办'],
  ['(十五)', '市政务服务数据管理局'],
  ['(十六)', '市统计局、市发改局、市政务服务数据管理局'],
  ['(十七)', '市委政法委、市政务服务数据管理局'],
  ['(十八)', '市政务服务数据管理局、市行政服务中心、市公共资源交易中心'],
  ['(十九)', '市生态环境局、市水务局、市政务服务数据管理局'],
  ['(二十)', '市市场监管局、市政务服务数据管理局'],
  ['(二十一)', '市文广旅体局、市卫健局、市农业农村局、市政务服务数据管理局'],
  ['(二十二)', '市住建管理局、市政务服务数据管理局'],
  ['(二十三)', '南雄市人民政府'],
  ['(二十四)', '市政务服务数据管理局、市行政服务中心、市住建管理局、市医保局、市人社局'],
  ['(二十五)', '市政务服务数据管理局、市行政服务中心'],
  ['(二十六)', '市政务服务数据管理局、市行政服务中心、市市场监管局'],
  ['(二十七)', '市政务服务数据管理局、市行政服务中心'],
  ['(二十八)', '市政务服务数据管理局、市公共资源交易中心'],
  ['(二十九)', '市政务服务数据管理局'],
  ['(三十)', '市政务服务数据管理局、市委网信办、市公安局'],
  ['(三十一)', '市政务服务数据管理局、市委机要和保密局'],
  ['(三十二)', '市政务服务数据管理局'],
  ['(三十三)', '市政务服务数据管理局'],
  ['(三十四)', '市政务服务数据管理局'],
  ['(三十五)', '市政务服务数据管理局'],
  ['(三十六)', '市政务服务数据管理局'],
  ['(三十七)', '市政务服务数据管理局'],
  ['(三十八)', '市政务服务数据管理局、市委政法委'],
  ['(三十九)', '市政务服务数据管理局'],
  ['(四十)', '市政务服务数据管理局'],
  ['(四十一)', '市政务服务数据管理局'],
];

const FAN_OUT = ['(一)', '(二)', '(三十二)', '(三十三)', '(三十四)', '(三十六)', '(三十七)', '(三十八)'];

describe('seed 004: 韶关市数字政府改革建设2023年工作要点', () => {
  const plan = parse(seed, {});

  it('has the title line and the year, and no warnings', () => {
    expect([plan.title, plan.year, plan.warnings]).toEqual(['韶关市数字政府改革建设2023年工作要点', 2023, []]);
  });

  it('has 41 items numbered (一)…(四十一), none with a warning', () => {
    expect(plan.items.map((i) => i.number)).toEqual(Array.from({ length: 41 }, (_, i) => `(${chinese(i + 1)})`));
    expect(plan.items.filter((i) => i.warnings.length > 0)).toEqual([]);
  });

  it('has 9 sections, named without their numbers', () => {
    const sections = [...new Set(plan.items.map((i) => i.section))];
    expect(sections).toHaveLength(9);
    expect(sections[0]).toBe('以均衡化发展为契机,持续提升数字政府基础能力');
    expect(sections[8]).toBe('以体制机制建设为基础,完善数字政府保障体系');
  });

  it('names every item’s owners in order, all co-leads, with the city prefix inherited', () => {
    expect(plan.items.map((i) => [i.number, i.owners.map((o) => o.name).join('、')])).toEqual(OWNERS);
    expect(plan.items.flatMap((i) => i.owners).filter((o) => o.role !== 'lead' || o.name.endsWith('牵头'))).toEqual([]);
  });

  it('fans exactly eight items out to the counties', () => {
    expect(plan.items.filter((i) => i.fanOut === 'counties').map((i) => i.number)).toEqual(FAN_OUT);
  });

  it('has item (一) due at the end of 2023 with its 80% target', () => {
    const [first] = plan.items;
    expect([first!.title, first!.due, first!.dueText]).toEqual(['紧扣指标任务,统筹推进均衡化发展工作', '2023-12-31', '2023年底']);
    expect(first!.targets).toEqual(['2023年底完成80%以上地市均衡化发展指标任务']);
    expect(first!.body.endsWith('2023年底完成80%以上地市均衡化发展指标任务。')).toBe(true);
  });

  it('leaves the closing paragraph out of the last item', () => {
    expect(plan.items[40]!.body).not.toContain('第三方评估');
  });

  it('reads the seed in full-width punctuation to the same items', () => {
    const fullWidth = parse(toFullWidth(seed), {});
    expect(fullWidth.items.map((i) => i.number)).toEqual(Array.from({ length: 41 }, (_, i) => `（${chinese(i + 1)}）`));
    expect(fold(JSON.stringify(fullWidth))).toBe(fold(JSON.stringify(plan)));
  });
});
