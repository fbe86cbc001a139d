import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { cnToInt, inlineMarkers, lineNumber } from './numbering.js';
import { chinese } from './spec-support.js';
import { fold } from './text.js';

describe('Chinese numerals', () => {
  it.each([
    ['一', 1],
    ['十', 10],
    ['十一', 11],
    ['二十', 20],
    ['四十一', 41],
    ['九十九', 99],
    ['一百零一', 101],
    ['两', 2],
    ['41', 41],
  ])('%s is %d', (s, n) => expect(cnToInt(s)).toBe(n));

  it.each(['', '二三', '十十', '百十百', 'abc'])('%p is not a number', (s) => expect(cnToInt(s)).toBeNull());

  it('reads back every number up to 999 as plans write it', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 999 }), (n) => cnToInt(chinese(n)) === n));
  });
});

describe('line numbers', () => {
  const rank = (line: string) => lineNumber(fold(line))?.rank ?? null;

  it('orders the levels 一、 > （一） > 1. > （1） > ①', () => {
    expect(
      ['第一章 总则', '一、总体要求', '（四十一）强化', '(一)强化', '第三条 规定', '3.推进', '3、推进', '（3）推进', '(3)推进', '⑳推进'].map(rank),
    ).toEqual([0, 1, 2, 2, 3, 4, 4, 5, 5, 6]);
  });

  it('does not take a decimal, a year or prose for a number', () => {
    expect(['2.0版本建设', '2023年4月13日', '12345热线', '一是推进', '百县千镇万村', '（CIM）平台', '(二三)'].map(rank)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('finds an inline enumeration only when it counts up from 一是', () => {
    const f = fold('重点做好：一是推进甲；二是推进乙；三是推进丙。');
    expect(inlineMarkers(f).map((m) => f.slice(m.start, m.end))).toEqual(['一是', '二是', '三是']);
    expect(inlineMarkers('统一是前提，二是推进乙')).toEqual([]);
    expect(inlineMarkers('一是推进甲。')).toEqual([]);
  });
});
