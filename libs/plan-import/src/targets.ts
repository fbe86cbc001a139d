import { type Span, slice, splitOutside, trim } from './text.js';

/**
 * A count: Arabic digits, or Chinese numerals other than a lone 一, which in plans is mostly a
 * slogan (一网通办, 一件事一次办) rather than a quantity. A run of digits or numerals is tried from
 * its start only (lookbehinds), which finds the same counts and keeps a long run linear.
 */
const COUNT =
  /(?:(?<!\d)\d+(?:\.\d+)?|(?<![一二两三四五六七八九十百千万亿])[一二两三四五六七八九十百千万亿]{2,}|[二两三四五六七八九十百千])[余多]?(?:个|项|家|万|亿|件|次|台|套|所|座|条|张|名|人|户|宗|批|类|公里|亩|吨)/;
const GOAL = /达到|完成|实现|不少于|不低于|以上|覆盖|建成|新增|超过|提升至|提高到|提高至|突破|累计|力争/;

/**
 * Target phrases in a body: the clauses (cut at ，,；;。 outside brackets and quotes) that hold a
 * percentage, or a count with a counting word together with a goal verb. `明确24个项目清单`
 * names a count but sets no goal; `新增5家`, `建成3个` and `达到95%` do.
 */
export function findTargets(body: Span): string[] {
  return splitOutside(body.f, ',;。')
    .map(([a, b]) => trim(slice(body, a, b)))
    .filter((c) => /[%‰]/.test(c.f) || (COUNT.test(c.f) && GOAL.test(c.f)))
    .map((c) => c.raw);
}
