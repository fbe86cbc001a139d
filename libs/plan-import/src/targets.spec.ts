import { describe, expect, it } from '@jest/globals';
import { findTargets } from './targets.js';
import { span } from './text.js';

const targets = (body: string) => findTargets(span(body));

describe('targets', () => {
  it('takes the clauses with a percentage', () => {
    expect(targets('扎实推进各项工作，2023年底完成80%以上地市均衡化发展指标任务。')).toEqual(['2023年底完成80%以上地市均衡化发展指标任务']);
    expect(targets('政务服务事项网上可办率达到９５％以上；群众满意率不低于90%')).toEqual(['政务服务事项网上可办率达到９５％以上', '群众满意率不低于90%']);
  });

  it('takes a count with a counting word and a goal verb', () => {
    expect(targets('年内新增5家示范单位，建成三个数据中心，累计开放数据集1.5万个。')).toEqual([
      '年内新增5家示范单位',
      '建成三个数据中心',
      '累计开放数据集1.5万个',
    ]);
  });

  it('leaves a count without a goal, a slogan and a date', () => {
    expect(targets('明确24个均衡化发展项目清单，推动实现高频事项“一件事一次办”，2023年底前完成。')).toEqual([]);
  });

  it('does not cut inside quotes or parentheses', () => {
    expect(targets('实现“一地申办，95%一次办理”（含县、区）')).toEqual(['实现“一地申办，95%一次办理”（含县、区）']);
  });
});
