import { cnToInt } from './numbering.js';

export interface Deadline {
  /** `YYYY-MM-DD`, the last day included. */
  due: string;
  start: number;
  end: number;
}

const NOT_AFTER_NUMBER = '(?<![\\d〇零一二两三四五六七八九十])';
const YEAR = '(?:(20\\d{2})年)?';
const MONTH = '(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])';
const DAY = '(3[01]|[12]\\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])';
const BEFORE = '(?:之前|以前|前|止)?';

// Computed without String and Date: each global costs a lookup through the context's interceptor
// when the parser runs in a vm context (jest), and a long table has a date in every row.
const pad = (n: number) => (n < 10 ? `0${n}` : `${n}`);
/** Days in each month of a common year. */
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const lastDayOf = (year: number, month: number) => (month === 2 && leap(year) ? 29 : DAYS[month - 1]!);

function iso(year: number, month: number, day: number | 'last'): string | null {
  if (year < 2000 || year > 2099 || month < 1 || month > 12) return null;
  const last = lastDayOf(year, month);
  const d = day === 'last' ? last : day;
  return d >= 1 && d <= last ? `${year}-${pad(month)}-${pad(d)}` : null;
}

const num = (s: string | undefined): number => (s === undefined ? NaN : (cnToInt(s) ?? NaN));

/** A character every date phrase of PATTERNS holds. */
const DATE_WORD = /[月季年]/;

type Reader = (m: RegExpExecArray, year: number, after: string) => string | null;

/** Each pattern with the word every phrase it matches holds: a pattern is run only on text holding its word. */
const PATTERNS: ReadonlyArray<{ word: string; re: RegExp; read: Reader }> = [
  {
    word: '月',
    re: new RegExp(`${NOT_AFTER_NUMBER}${YEAR}${MONTH}月${DAY}[日号]${BEFORE}`, 'g'),
    read: (m, year) => iso(m[1] ? +m[1] : year, num(m[2]), num(m[3])),
  },
  {
    // A bare 6月 is only a date with a year or an end word: 6月起 starts something.
    word: '月',
    re: new RegExp(`${NOT_AFTER_NUMBER}${YEAR}${MONTH}月份?(底|末|上旬|中旬|下旬)?${BEFORE}`, 'g'),
    read: (m, year, after) => {
      const hasEnd = m[3] !== undefined || /(?:前|止)$/.test(m[0]);
      if (!hasEnd && (!m[1] || /^(?:起|开始|以来|以后|后)/.test(after))) return null;
      const day = m[3] === '上旬' ? 10 : m[3] === '中旬' ? 20 : 'last';
      return iso(m[1] ? +m[1] : year, num(m[2]), day);
    },
  },
  {
    word: '季度',
    re: new RegExp(`${NOT_AFTER_NUMBER}${YEAR}第?([一二三四1-4])季度(?:末|底)?${BEFORE}`, 'g'),
    read: (m, year) => iso(m[1] ? +m[1] : year, num(m[2]) * 3, 'last'),
  },
  {
    word: '半年',
    re: new RegExp(`${YEAR}(上半年|下半年)(?:末|底)?${BEFORE}`, 'g'),
    read: (m, year) => iso(m[1] ? +m[1] : year, m[2] === '上半年' ? 6 : 12, 'last'),
  },
  {
    word: '年',
    re: new RegExp(`(?<!\\d)(20\\d{2})年(?:年)?(?:底|末|内)${BEFORE}`, 'g'),
    read: (m) => iso(+m[1]!, 12, 'last'),
  },
  {
    // 三年内 is a span of years, not this year.
    word: '年',
    re: new RegExp(`(?<![\\d〇零一二两三四五六七八九十几多半每])年(?:底|末|内)${BEFORE}`, 'g'),
    read: (_m, year) => iso(year, 12, 'last'),
  },
];

/**
 * Every date phrase in folded text, in order, without overlaps (at one place the longest reading
 * wins, so 2023年底 is one phrase, not 2023年底 and 年底). Phrases without a year belong to `year`.
 */
export function findDeadlines(f: string, year: number): Deadline[] {
  // Every pattern holds 月, 季 or 年: text without them (most table cells) names no date, and six
  // regular-expression scans of each cell were most of the time a long pasted table took.
  if (!DATE_WORD.test(f)) return [];
  const found: Deadline[] = [];
  for (const { word, re, read } of PATTERNS) {
    if (!f.includes(word)) continue;
    // exec rather than matchAll, which copies the pattern at every call.
    re.lastIndex = 0;
    for (let m = re.exec(f); m; m = re.exec(f)) {
      const end = m.index + m[0].length;
      const due = read(m, year, f.slice(end));
      if (due) found.push({ due, start: m.index, end });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Deadline[] = [];
  for (const d of found) if (kept.length === 0 || d.start >= kept[kept.length - 1]!.end) kept.push(d);
  return kept;
}

export const LONG_TERM = /长期坚持|长期|持续推进|持续开展|常态化推进|常态化/;
