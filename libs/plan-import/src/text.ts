/**
 * The parser carries every piece of the document as a Span: the text as written, and a folded
 * copy of exactly the same length in which full-width forms and the traditional spellings of the
 * keywords are replaced by one spelling. Patterns are then written once against the fold, and the
 * same indices cut the text as written, so names and phrases come back exactly as the document
 * has them.
 */
export interface Span {
  readonly raw: string;
  readonly f: string;
}

/** Only characters that occur in the keywords the parser looks for; each pair is traditional, simplified. */
const TRADITIONAL =
  '責责單单牽牵頭头時时間间協协辦办參参與与負负門门縣县區区長长續续進进達达實实現现設设內内項项個个萬万億亿點点' +
  '計计劃划條条書书記记會会務务處处廳厅級级蓋盖節节於于過过類类噸吨張张臺台戶户鎮镇隊队館馆銀银導导號号餘余場场' +
  '職职結结別别兩两堅坚開开態态團团組组關关聯联國国廣广東东粵粤鄉乡爭争畝亩畫画爲为' +
  '標标況况領领備备註注舉举體体';

const FOLD = new Map<string, string>([
  ['〔', '['],
  ['〕', ']'],
  ['【', '['],
  ['】', ']'],
  ['﹙', '('],
  ['﹚', ')'],
  ['\u3000', ' '],
]);
for (let i = 0; i < TRADITIONAL.length; i += 2) FOLD.set(TRADITIONAL[i]!, TRADITIONAL[i + 1]!);

/**
 * Per code unit, 1 where it folds: FOLD's keys (each one code unit) and the full-width forms.
 * A table rather than a Set: every cell and line is scanned through it.
 */
const FOLDS = new Uint8Array(0x10000);
for (const k of FOLD.keys()) FOLDS[k.charCodeAt(0)] = 1;
FOLDS.fill(1, 0xff01, 0xff5f);

const needsFold = (s: string, i: number) => FOLDS[s.charCodeAt(i)] === 1;

/**
 * What each folding code unit folds to, made once: String.fromCharCode is a global, and looking
 * a global up costs much in a vm context (jest runs the specs in one).
 */
const FOLDED: Array<string | undefined> = [];
for (const [k, v] of FOLD) FOLDED[k.charCodeAt(0)] = v;
for (let code = 0xff01; code <= 0xff5e; code++) FOLDED[code] = String.fromCharCode(code - 0xfee0);

export function fold(s: string): string {
  // Most text (a table's cells, a plan in simplified script) has nothing to fold: answered as is,
  // without building a copy character by character.
  let first = 0;
  while (first < s.length && !needsFold(s, first)) first++;
  if (first === s.length) return s;
  let out = s.slice(0, first);
  for (let i = first; i < s.length; i++) {
    out += FOLDED[s.charCodeAt(i)] ?? s[i];
  }
  return out;
}

export const span = (raw: string): Span => ({ raw, f: fold(raw) });

export const slice = (s: Span, start: number, end: number = s.f.length): Span => ({
  raw: s.raw.slice(start, end),
  f: s.f.slice(start, end),
});

export const WHITESPACE = ' \t\r\n\u00a0';
/** Separators a fragment may start or end with once it is cut out of a sentence (folded forms). */
export const LOOSE_ENDS = `${WHITESPACE},;:、.。`;

/** Whether the string holds the code unit: tested by code, as indexing a Chinese string makes a string of each character. */
function holds(chars: string, code: number): boolean {
  for (let i = 0; i < chars.length; i++) if (chars.charCodeAt(i) === code) return true;
  return false;
}

export function trim(s: Span, chars: string = WHITESPACE): Span {
  let start = 0;
  let end = s.f.length;
  while (start < end && holds(chars, s.f.charCodeAt(start))) start++;
  while (end > start && holds(chars, s.f.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.f.length ? s : slice(s, start, end);
}

export function concat(parts: readonly Span[], separator = ''): Span {
  // One pass over the parts, no closures: items and blocks are joined line by line.
  if (parts.length === 1) return { raw: parts[0]!.raw, f: parts[0]!.f };
  const raw: string[] = [];
  const f: string[] = [];
  for (const p of parts) {
    raw.push(p.raw);
    f.push(p.f);
  }
  return { raw: raw.join(separator), f: f.join(separator) };
}

/** The span without the given [start, end) ranges, which must not overlap. */
export function without(s: Span, ranges: ReadonlyArray<readonly [number, number]>): Span {
  const kept: Span[] = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start > at) kept.push(slice(s, at, start));
    if (end > at) at = end;
  }
  kept.push(slice(s, at));
  return concat(kept);
}

const ASCII_WORD = /[A-Za-z0-9]/;
/** A line break with the blanks around it. The lookbehind starts a match only where a run of blanks starts, so a long run is read once. */
const LINE_BREAK = /(?<![ \t])[ \t]*\r?\n\s*/g;

/**
 * Joins the lines of a wrapped paragraph: Chinese wraps anywhere and takes no space at the
 * join, while two Latin words or numbers meeting there were separate words.
 */
export function unwrap(s: Span): Span {
  if (!s.f.includes('\n')) return s;
  const pieces: Span[] = [];
  let at = 0;
  // exec rather than matchAll, which copies the pattern at every call (every item).
  LINE_BREAK.lastIndex = 0;
  for (let m = LINE_BREAK.exec(s.f); m; m = LINE_BREAK.exec(s.f)) {
    const start = m.index;
    const end = start + m[0].length;
    pieces.push(slice(s, at, start));
    const before = s.f[start - 1] ?? '';
    const after = s.f[end] ?? '';
    if (ASCII_WORD.test(before) && ASCII_WORD.test(after)) pieces.push({ raw: ' ', f: ' ' });
    at = end;
  }
  pieces.push(slice(s, at));
  return concat(pieces);
}

const OPENERS = '([《“「';
const CLOSERS = ')]》”」';

/**
 * [start, end) ranges between the separators that stand outside any brackets or quotes; a
 * separator inside `各县(市、区)政府` belongs to the name.
 */
export function splitOutside(f: string, separators: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < f.length; i++) {
    const c = f.charCodeAt(i);
    if (holds(OPENERS, c)) depth++;
    else if (holds(CLOSERS, c)) depth = depth > 0 ? depth - 1 : 0;
    else if (depth === 0 && holds(separators, c)) {
      ranges.push([start, i]);
      start = i + 1;
    }
  }
  ranges.push([start, f.length]);
  return ranges;
}

export interface Group {
  /** Index of the opening bracket. */
  open: number;
  /** Index of the matching closing bracket. */
  close: number;
  kind: '(' | '[';
}

/**
 * Outermost balanced `( )` and `[ ]` groups in folded text. Stray or mismatched closers are
 * skipped, and an opener that never closes does not swallow the groups after it.
 */
export function outerGroups(f: string): Group[] {
  const balanced: Group[] = [];
  // Where the open brackets are, and for each kind its places in `stack`: a closer finds its
  // opener at once, and each opener is pushed and dropped once, so stray closers stay linear.
  const stack: number[] = [];
  const parens: number[] = [];
  const squares: number[] = [];
  for (let i = 0; i < f.length; i++) {
    const c = f.charCodeAt(i);
    if (c === 0x28 || c === 0x5b) {
      (c === 0x28 ? parens : squares).push(stack.length);
      stack.push(i);
    } else if (c === 0x29 || c === 0x5d) {
      const places = c === 0x29 ? parens : squares;
      if (places.length === 0) continue;
      const match = places[places.length - 1]!;
      balanced.push({ open: stack[match]!, close: i, kind: c === 0x29 ? '(' : '[' });
      stack.length = match;
      while (parens.length > 0 && parens[parens.length - 1]! >= match) parens.pop();
      while (squares.length > 0 && squares[squares.length - 1]! >= match) squares.pop();
    }
  }
  balanced.sort((a, b) => a.open - b.open);
  const outer: Group[] = [];
  for (const g of balanced) {
    const last = outer[outer.length - 1];
    if (!last || g.open > last.close) outer.push(g);
  }
  return outer;
}
