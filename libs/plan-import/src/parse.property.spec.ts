import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parse } from './index.js';
import { firstInlineMarker, lineNumber, startsInline } from './numbering.js';
import { findOwnerParts, isAnnotationLine } from './owners.js';
import { chinese, toFullWidth } from './spec-support.js';
import { fold, span } from './text.js';

const RUNS = 200;

const UNITS = ['市政务服务数据管理局', '市发展和改革局', '市公安局', '市财政局', '市委网信办', '南雄市人民政府', '市住建管理局'];
const FAN_OUT = ['各县(市、区)政府', '各县(市、区)人民政府', '各区县', '各县区'];
const TITLES = ['推进政务云扩容', '完善政务外网', '深化一网通办', '强化数据共享', '提升安全防护能力'];
const SECTIONS = ['夯实基础能力', '提升服务水平', '强化安全保障'];
const DUES: ReadonlyArray<readonly [string, string | null]> = [
  ['年底前', '12-31'],
  ['6月底前', '06-30'],
  ['第三季度', '09-30'],
  ['上半年', '06-30'],
  ['', null],
];

const item = fc.record({
  title: fc.constantFrom(...TITLES),
  owners: fc.uniqueArray(fc.constantFrom(...UNITS), { minLength: 1, maxLength: 4 }),
  fanOut: fc.option(fc.constantFrom(...FAN_OUT), { nil: undefined }),
  due: fc.constantFrom(...DUES),
  percent: fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }),
  wrapped: fc.boolean(),
  role: fc.constantFrom('牵头', '负责'),
});
const plan = fc.record({
  year: fc.integer({ min: 2020, max: 2030 }),
  sections: fc.array(fc.array(item, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
});
type Plan = typeof plan extends fc.Arbitrary<infer P> ? P : never;

/** A plan as a 工作要点 is written (with ASCII punctuation), and the items it should parse to. */
function render({ year, sections }: Plan) {
  const lines = ['各县(市、区)人民政府,市政府各部门:', `现将《韶关市${year}年数字政府工作要点》印发给你们,请认真贯彻执行。`, `韶关市${year}年数字政府工作要点`];
  const expected: Array<{ number: string; section: string; title: string; owners: string[]; fanOut: string | null; due: string | null; targets: string[] }> =
    [];
  sections.forEach((items, s) => {
    lines.push(`${chinese(s + 1)}、${SECTIONS[s]}`);
    for (const it of items) {
      const number = `(${chinese(expected.length + 1)})`;
      const target = it.percent === undefined ? null : `覆盖率达到${it.percent}%以上`;
      const work = `${it.due[0] ? `${it.due[0]}完成建设,` : ''}${target ?? '持续推进相关工作'}。`;
      const owners = [...it.owners, ...(it.fanOut ? [it.fanOut] : [])].join('、');
      lines.push(`${number}${it.title}。`.concat(it.wrapped ? '\n' : '', `${work}(${owners}${it.role})`));
      expected.push({
        number,
        section: SECTIONS[s]!,
        title: it.title,
        owners: it.owners,
        fanOut: it.fanOut ? 'counties' : null,
        due: it.due[1] && `${year}-${it.due[1]}`,
        targets: target ? [target] : [],
      });
    }
  });
  lines.push('各地、各部门要结合实际,认真抓好落实。');
  return { text: lines.join('\n'), expected };
}

const summary = (text: string, year?: number) =>
  parse(text, { year }).items.map((i) => ({
    number: i.number,
    section: i.section,
    title: i.title,
    owners: i.owners.map((o) => o.name),
    fanOut: i.fanOut,
    due: i.due,
    targets: i.targets,
  }));

/**
 * Line noise: anything that carries no structure, i.e. no number, no inline enumeration, no owner
 * annotation — and no parenthesis: a stray unclosed "（" joins the item above as a continuation and
 * then stands after its owners, which are no longer the trailing parenthesis.
 */
const noise = fc
  .string({ unit: fc.constantFrom(...'甲乙丙丁工作推进完成是一二三市局 ,，:：;；、。.1234%“”《》abcXYZ'.split('')), minLength: 1, maxLength: 24 })
  .filter((line) => {
    const f = fold(line.trim());
    return lineNumber(f) === null && !startsInline(f) && firstInlineMarker(f) < 0 && !isAnnotationLine(f) && findOwnerParts(span(line)).length === 0;
  });

describe('parse properties (fast-check)', () => {
  it('reads back the items of a generated plan', () => {
    fc.assert(
      fc.property(plan, (p) => {
        const { text, expected } = render(p);
        expect(summary(text)).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads full-width and ASCII punctuation alike', () => {
    fc.assert(
      fc.property(plan, (p) => {
        const { text } = render(p);
        const ascii = parse(text, {});
        const fullWidth = parse(toFullWidth(text), {});
        expect(fold(JSON.stringify(fullWidth))).toBe(fold(JSON.stringify(ascii)));
      }),
      { numRuns: RUNS },
    );
  });

  it('never drops an item for line noise anywhere in the text', () => {
    fc.assert(
      fc.property(plan, fc.array(fc.tuple(fc.nat(), noise), { maxLength: 8 }), (p, insertions) => {
        const { text, expected } = render(p);
        const lines = text.split('\n');
        for (const [at, line] of insertions) lines.splice(at % (lines.length + 1), 0, line);
        const items = parse(lines.join('\n'), { year: p.year }).items;
        expect(items.map((i) => i.number)).toEqual(expected.map((e) => e.number));
        expect(items.map((i) => i.owners.map((o) => o.name))).toEqual(expected.map((e) => e.owners));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws once it has a year, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        expect(Array.isArray(parse(text, { year: 2023 }).items)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
