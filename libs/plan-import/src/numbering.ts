import { type Group, outerGroups } from './text.js';

const CN_DIGIT: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** `四十一` → 41, `一百零一` → 101, `41` → 41; null for anything that is not a well-formed number below 1000. */
export function cnToInt(s: string): number | null {
  if (/^\d+$/.test(s)) return +s;
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(s)) return null;
  let total = 0;
  let digit: number | null = null;
  // Above any scale (百 is 100): a constant, not the global Infinity, as lines are numbered by the thousand.
  let lastScale = 1000;
  for (const ch of s) {
    const scale = ch === '百' ? 100 : ch === '十' ? 10 : 0;
    if (scale > 0) {
      if (scale >= lastScale) return null;
      total += (digit ?? 1) * scale;
      digit = null;
      lastScale = scale;
    } else {
      if (digit !== null && digit !== 0) return null;
      digit = CN_DIGIT[ch]!;
    }
  }
  return total + (digit ?? 0);
}

const CN = '零〇一二两三四五六七八九十百';

/**
 * Numbering levels from coarse to fine, as GB/T 9704 orders them for official documents
 * (一、 > （一） > 1. > （1）), with chapters above and articles and circled numbers in between.
 */
const STYLES: ReadonlyArray<{ rank: number; re: RegExp; value: (m: RegExpExecArray) => number | null }> = [
  { rank: 0, re: new RegExp(`^第([${CN}\\d]+)(?:章|部分|篇)`), value: (m) => cnToInt(m[1]!) },
  { rank: 1, re: new RegExp(`^([${CN}]+)(?:、|\\.(?!\\d))`), value: (m) => cnToInt(m[1]!) },
  { rank: 2, re: new RegExp(`^\\(([${CN}]+)\\)`), value: (m) => cnToInt(m[1]!) },
  { rank: 3, re: new RegExp(`^第([${CN}\\d]+)条`), value: (m) => cnToInt(m[1]!) },
  { rank: 4, re: /^(\d{1,3})(?:、|\.(?!\d))/, value: (m) => +m[1]! },
  { rank: 5, re: /^\((\d{1,3})\)/, value: (m) => +m[1]! },
  { rank: 6, re: /^[①-⑳]/, value: (m) => m[0].charCodeAt(0) - 0x245f },
];

/** Items written inline as 一是…二是… sit below every printed level. */
export const INLINE_RANK = 7;

export interface LineNumber {
  rank: number;
  /** Length of the number in the (trimmed) line. */
  length: number;
  /** The number's value: 3 for `(三)`, `3.` and `③`. */
  value: number;
}

/** A character every style of STYLES starts with. */
const NUMBER_START = new RegExp(`^[第${CN}(\\d①-⑳]`);

/** The printed number a trimmed, folded line starts with, if any. */
export function lineNumber(f: string): LineNumber | null {
  // Most lines start with none of them: one test instead of seven.
  if (!NUMBER_START.test(f)) return null;
  for (const style of STYLES) {
    const m = style.re.exec(f);
    const value = m && style.value(m);
    if (m && value !== null) return { rank: style.rank, length: m[0].length, value };
  }
  return null;
}

/**
 * Numbers in brackets or circles, (一) (1) ①, where a sentence or an owner annotation has just
 * ended: where a paragraph runs its sub-items together. `1.` and `1、` are not read there, as
 * `。1、2月份` and `。2.5亿元` are prose.
 */
const RUN_IN = new RegExp(`(?<=[。;:!?)\\]\\s])(?:\\([${CN}]+\\)|\\(\\d{1,3}\\)|[①-⑳])`, 'g');

/**
 * Where items written one after another in one folded line start, after the line's own number
 * (`own`, if any): `1.深化改革。(1)推进…(市发展改革委牵头)(2)完善…` has them at `(1)` and `(2)`.
 * A member must count on from the line's own number of its style, or from 1, and a coarser
 * member restarts the count of the finer styles; numbers inside brackets (an owner list
 * `(责任单位:①…)`) are not members. Linear in the line's length.
 */
export function runInNumbers(f: string, own: LineNumber | null): number[] {
  // The count per style, made at the first run-in number: most lines have none.
  let next: Map<number, number> | null = null;
  const starts: number[] = [];
  // Matches come in order and the outermost groups are sorted and disjoint: one pass over each.
  // The groups are found at the first match: most lines have none.
  let groups: Group[] | null = null;
  let group = 0;
  // exec rather than matchAll, which copies the pattern at every call: this runs on every line.
  RUN_IN.lastIndex = 0;
  for (let m = RUN_IN.exec(f); m; m = RUN_IN.exec(f)) {
    groups ??= outerGroups(f);
    while (group < groups.length && groups[group]!.close < m.index) group++;
    const g = groups[group];
    if (m.index < (own?.length ?? 0) || (g && g.open < m.index && m.index <= g.close)) continue;
    const n = lineNumber(m[0]);
    next ??= new Map(own ? [[own.rank, own.value + 1]] : []);
    if (!n || n.value !== (next.get(n.rank) ?? 1)) continue;
    starts.push(m.index);
    next.set(n.rank, n.value + 1);
    for (const rank of [...next.keys()]) if (rank > n.rank) next.delete(rank);
  }
  return starts;
}

const INLINE_MARKER = /(?<=^|[\s。;,:!?、)”])(十[一二三四五六七八九]?|[一二三四五六七八九])是/g;

export const startsInline = (f: string): boolean => /^(?:十[一二三四五六七八九]?|[一二三四五六七八九])是/.test(f);

/**
 * Where an inline enumeration 一是…二是…三是… marks its members in folded text: the run
 * must start at 一是 and count up, so a stray 二是 or a 统一是 in prose is not a member.
 * Empty unless at least two members are found.
 */
export function inlineMarkers(f: string): Array<{ start: number; end: number }> {
  const chain: Array<{ start: number; end: number }> = [];
  for (const m of f.matchAll(INLINE_MARKER)) {
    if (cnToInt(m[1]!) === chain.length + 1) chain.push({ start: m.index, end: m.index + m[0].length });
  }
  return chain.length >= 2 ? chain : [];
}

/** Where the first member (一是) of an inline enumeration starts in folded text, or -1. */
export function firstInlineMarker(f: string): number {
  for (const m of f.matchAll(INLINE_MARKER)) if (m[1] === '一') return m.index;
  return -1;
}
