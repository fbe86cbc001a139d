import { type Deadline, findDeadlines, LONG_TERM } from './deadlines.js';
import type { PlanDocument, PlanTable } from './document.js';
import { INLINE_RANK, type LineNumber, firstInlineMarker, inlineMarkers, lineNumber, runInNumbers, startsInline } from './numbering.js';
import { endsWithOwners, findOwnerParts, isAnnotationLine, type Legend, readSpec, resolveOwners, type Unit } from './owners.js';
import { type BuildItem, readTables, tableCaptions } from './tables.js';
import { findTargets } from './targets.js';
import { LOOSE_ENDS, type Span, WHITESPACE, concat, fold, slice, span, trim, unwrap, without } from './text.js';
import { readTextDocument } from './text-tables.js';
import { type ParseOptions, type ParsedPlan, type PlanItem, PlanYearMissingError } from './types.js';

interface Line {
  /** 1-based, as an editor shows it. */
  no: number;
  text: Span;
  /** Numbering level (see numbering.ts), null for an unnumbered line. */
  rank: number | null;
  /** As printed; empty for an unnumbered line. */
  number: string;
  /** The text after the number. */
  rest: Span;
  /** Starts with 一是, 二是…: continues an item even after its owners were named. */
  inline: boolean;
}

function readLine(no: number, t: Span, n: LineNumber | null = lineNumber(t.f)): Line {
  return {
    no,
    text: t,
    rank: n?.rank ?? null,
    number: n ? t.raw.slice(0, n.length) : '',
    rest: n ? trim(slice(t, n.length)) : t,
    inline: !n && startsInline(t.f),
  };
}

/**
 * The non-blank lines, a paragraph that runs numbered sub-items together
 * (`1.深化改革。(1)推进…(2)完善…`) read as the lines it would be if each started its own.
 */
function readLines(text: string): Line[] {
  const lines: Line[] = [];
  const raws = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < raws.length; i++) {
    const t = trim(span(raws[i]!));
    if (!t.f) continue;
    const own = lineNumber(t.f);
    const starts = runInNumbers(t.f, own);
    // Most lines run nothing in: the line is its one piece, its number already read.
    if (starts.length === 0) {
      lines.push(readLine(i + 1, t, own));
      continue;
    }
    for (let k = 0; k <= starts.length; k++) {
      const piece = trim(slice(t, k === 0 ? 0 : starts[k - 1]!, starts[k] ?? t.f.length));
      if (piece.f) lines.push(readLine(i + 1, piece));
    }
  }
  return lines;
}

/** 计画 is how a traditional rendering (計畫) folds; a 分解表 or 责任表 names its plan too. */
const TITLE_WORDS = /要点|方案|计[划画]|清单|分工|分解|任务表|责任表/;

/**
 * Lines of a document's frame that never name the plan: an attachment label above the real
 * title (`附件`, `附件1`, `附件2：`), a 文号 (`X政办发〔2023〕1号`), a date (`2023年1月5日`) and
 * a salutation (`各区人民政府，市直各单位：`), as the 党政机关公文格式 (GB/T 9704) lays them out.
 */
const NOT_TITLE = [/^附件\s*\d*\s*[:：]?$/, /[〔[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*第?\d+号$/, /^(?:19|20)\d{2}年\d{1,2}月\d{1,2}日$/, /[:：]$/];
const isFrame = (l: Line) => NOT_TITLE.some((re) => re.test(l.text.f));

/**
 * The line that names the plan: short, a plan word, no closing punctuation; else the first
 * line that is not the document's frame (see NOT_TITLE).
 */
function findTitle(lines: readonly Line[], firstNumbered: number): string {
  const isTitle = (l: Line) => l.rank === null && l.text.f.length <= 60 && TITLE_WORDS.test(l.text.f) && !/[。,;:!?、.]$/.test(l.text.f) && !isFrame(l);
  const line = lines.slice(0, firstNumbered).find(isTitle) ?? lines.find(isTitle) ?? lines.find((l) => !isFrame(l)) ?? lines[0];
  if (!line) return '';
  const raw = line.text.raw;
  return raw.startsWith('《') && raw.endsWith('》') ? raw.slice(1, -1) : raw;
}

/**
 * A year as the text writes one: `2023年` or a document number's `〔2013〕`. Not a target
 * (`到2025年`, the end of `2023-2025年`), which the plan works towards, nor a past period
 * (`2012年以来`). Bare digits are quantities: `2000万亩` is no year.
 */
const YEAR_IN_TEXT = /(?<![\d到至\-—–~])(20\d{2})年(?!以来)|[[〔](20\d{2})[\]〕]/g;

/**
 * The plan's year: given in options, else the year in its title, else the year the text's own
 * dates fall in — the one it writes most often (`2019年1月1日起`, `2019年底前`), and of equally
 * frequent years the latest, as a plan is written no earlier than the documents it cites
 * (`〔2013〕`). Throws PlanYearMissingError when no year is written.
 */
function findYear(options: ParseOptions, title: string, text: () => string): number {
  if (options.year !== undefined) return options.year;
  const inTitle = /(20\d{2})年/.exec(fold(title));
  if (inTitle) return Number(inTitle[1]);
  const counts = new Map<number, number>();
  for (const m of fold(text()).matchAll(YEAR_IN_TEXT)) {
    const year = Number(m[1] ?? m[2]);
    counts.set(year, (counts.get(year) ?? 0) + 1);
  }
  const [best] = [...counts].sort(([y1, n1], [y2, n2]) => n2 - n1 || y2 - y1);
  if (best) return best[0];
  throw new PlanYearMissingError();
}

const joinLines = (lines: readonly Span[]) => concat(lines, '\n');
const hasOwners = (s: Span) => findOwnerParts(s).length > 0;

/** Heading text without its annotations: the first sentence, or null if there is none. */
function headingText(s: Span): string | null {
  const text = unwrap(
    without(
      s,
      findOwnerParts(s).map((p) => [p.start, p.end] as const),
    ),
  );
  const stop = text.f.indexOf('。');
  const heading = trim(stop < 0 ? text : slice(text, 0, stop), LOOSE_ENDS).raw;
  return heading || null;
}

/** The text of each numbered block at `rank`: its line and everything up to the next line at that level or above. */
function blocksAt(lines: readonly Line[], from: number, rank: number): Span[] {
  const blocks: Span[][] = [];
  let current: Span[] | null = null;
  for (const line of lines.slice(from)) {
    if (line.rank === rank) blocks.push((current = [line.rest]));
    else if (line.rank !== null && line.rank < rank) current = null;
    else current?.push(line.text);
  }
  return blocks.map(joinLines);
}

function splitInline(text: Span): Array<{ number: string; lead: Span; text: Span }> {
  const marks = inlineMarkers(text.f);
  return marks.map((m, i) => ({
    number: text.raw.slice(m.start, m.end),
    lead: slice(text, 0, marks[0]!.start),
    text: slice(text, m.end, marks[i + 1]?.start ?? text.f.length),
  }));
}

/**
 * The level that holds the items. Owners are named once per item, so the item level is the one
 * at which the most blocks name owners: a section (一、) holds the owners of all its items but
 * counts once. Sub-points below an item (1., 一是…) count no more often than the items, since only
 * the last names the owners; on such a tie the level whose blocks more often name owners wins,
 * and then the finer one (a section with a single item). A plan that names no owners at all has
 * its items at the finest level.
 */
function itemRank(lines: readonly Line[], from: number): number {
  const ranks = [...new Set(lines.map((l) => l.rank).filter((r): r is number => r !== null))];
  const levels = ranks.map((rank) => {
    const blocks = blocksAt(lines, from, rank);
    return { rank, blocks: blocks.length, owners: blocks.filter(hasOwners).length };
  });
  const containers = blocksAt(
    lines,
    from,
    ranks.reduce((a, b) => Math.max(a, b)),
  );
  if (containers.some((c) => inlineMarkers(c.f).length > 0)) {
    const inline = { rank: INLINE_RANK, blocks: 0, owners: 0 };
    for (const c of containers) {
      const pieces = splitInline(c).map((p) => p.text);
      for (const piece of pieces.length > 0 ? pieces : [c]) {
        inline.blocks++;
        if (hasOwners(piece)) inline.owners++;
      }
    }
    levels.push(inline);
  }
  const share = (l: { blocks: number; owners: number }) => l.owners / l.blocks;
  levels.sort((a, b) => b.owners - a.owners || share(b) - share(a) || b.rank - a.rank);
  return levels[0]!.rank;
}

interface Draft {
  number: string;
  section: string | null;
  lines: Span[];
  /** The numbered lines below the item's level: where each stands in `lines`, and the line. */
  below: Array<{ at: number; line: Line }>;
}

/** How many lines back an owner parenthesis may have opened: a wrap takes two or three lines, rarely more. */
const MAX_WRAP = 8;

/**
 * Whether the item's lines so far end with its owners. Only the last line can, or the last few
 * when an owner parenthesis wraps; looking no further than MAX_WRAP lines keeps a long item
 * linear, even when its lines close brackets that never opened.
 */
function closes(lines: readonly Span[]): boolean {
  const last = lines.length - 1;
  // Comparisons rather than Math.max, here and below: closes runs for every line, and in a vm
  // context (jest) each use of a global such as Math is a slow lookup.
  const stop = last >= MAX_WRAP ? last - MAX_WRAP + 1 : 0;
  let from = last;
  let open = 0;
  for (; from >= stop; from--) {
    const f = lines[from]!.f;
    for (let i = 0; i < f.length; i++) {
      const c = f.charCodeAt(i);
      open += c === 0x28 || c === 0x5b ? 1 : c === 0x29 || c === 0x5d ? -1 : 0;
    }
    if (open >= 0) break;
  }
  if (from < stop) from = stop;
  // Owner parts are bracketed or labelled (findOwnerParts): lines with no opening bracket and
  // no colon end with none, and are not joined to find that out.
  let marked = false;
  for (let l = from; l <= last && !marked; l++) marked = /[([:]/.test(lines[l]!.f);
  if (!marked) return false;
  return endsWithOwners(from === last ? lines[last]! : joinLines(lines.slice(from)));
}

const snippet = (s: string) => (s.length > 20 ? `${s.slice(0, 20)}…` : s);

/**
 * Items at `rank` with their lines. Lines below an item continue it until its owners are named;
 * after that only annotations and finer numbered lines do, and other text ends the item. Such
 * text is a closing paragraph when a heading or the end follows, and a warning when an item
 * follows, since it may be an item whose number was lost.
 */
function collect(lines: readonly Line[], from: number, rank: number, warnings: string[]): Draft[] {
  const drafts: Draft[] = [];
  const headings = new Map<number, string | null>();
  let current: Draft | null = null;
  let closed = false;
  let stray: Line[] = [];
  /** The heading of the finest level above the items. */
  const section = () => {
    let above = -1;
    for (const r of headings.keys()) if (r < rank && r > above) above = r;
    return above >= 0 ? headings.get(above)! : null;
  };
  for (const line of lines.slice(from)) {
    if (line.rank !== null && line.rank < rank) {
      for (const r of [...headings.keys()]) if (r >= line.rank) headings.delete(r);
      headings.set(line.rank, headingText(line.rest));
      current = null;
      stray = [];
    } else if (line.rank === rank) {
      if (stray.length > 0) warnings.push(`第${stray[0]!.no}行的文字不属于任何条目，已略过：${snippet(stray[0]!.text.raw)}`);
      stray = [];
      current = { number: line.number, section: section(), lines: [line.rest], below: [] };
      drafts.push(current);
      closed = endsWithOwners(line.rest);
    } else if (current && (!closed || line.rank !== null || line.inline || isAnnotationLine(line.text.f))) {
      current.lines.push(line.text);
      if (line.rank !== null) current.below.push({ at: current.lines.length - 1, line });
      closed = closes(current.lines);
    } else if (current || stray.length > 0) {
      current = null;
      stray.push(line);
    }
  }
  return drafts;
}

/**
 * A plan may name several dates for one item, such as a milestone and then completion. A
 * 完成时限 annotation decides when there is one: its last date. Otherwise the item is due on
 * the latest date its text names, as it is not done before its last milestone.
 */
function readDue(specs: readonly Span[], body: Span, year: number, warnings: string[]) {
  // The last date of the last annotation naming one, read from the end (no flatMap: it runs for every item).
  for (let i = specs.length - 1; i >= 0; i--) {
    const found = findDeadlines(specs[i]!.f, year);
    const last = found[found.length - 1];
    if (last) return { due: last.due, dueText: specs[i]!.raw.slice(last.start, last.end) };
  }
  for (const s of specs) {
    const longTerm = LONG_TERM.exec(s.f);
    if (longTerm) return { due: null, dueText: s.raw.slice(longTerm.index, longTerm.index + longTerm[0].length) };
    warnings.push(`未能识别完成时限：${s.raw}`);
  }
  const latest = findDeadlines(body.f, year).reduce<Deadline | null>((a, d) => (a && a.due > d.due ? a : d), null);
  return latest ? { due: latest.due, dueText: body.raw.slice(latest.start, latest.end) } : { due: null, dueText: null };
}

/** What an item's body is trimmed of once its annotations are cut out. */
const BODY_ENDS = `${WHITESPACE},;:、`;

/**
 * Builds one item. `legend` is what the document has said so far about its owner lists
 * (`排在首位的为牵头单位，下同`); items are built in document order, so it holds for the items after it.
 */
function buildItem(number: string, section: string | null, text: Span, year: number, legend: Legend): PlanItem {
  const warnings: string[] = [];
  const parts = findOwnerParts(text);
  const units: Unit[] = [];
  const dueSpecs: Span[] = [];
  for (const part of parts) {
    const spec = readSpec(part.spec, legend);
    for (const unit of spec.units) units.push(unit);
    for (const due of spec.due) dueSpecs.push(due);
  }
  const body = trim(
    unwrap(
      without(
        text,
        parts.map((p) => [p.start, p.end] as const),
      ),
    ),
    BODY_ENDS,
  );
  const stop = body.f.search(/[。!?]/);
  const title = trim(stop < 0 ? body : slice(body, 0, stop), LOOSE_ENDS).raw;
  const { owners, fanOut, fanOutRole } = resolveOwners(units);
  const { due, dueText } = readDue(dueSpecs, body, year, warnings);
  if (!body.f) warnings.push('条目没有正文');
  if (owners.length === 0 && !fanOut) warnings.push('未能识别责任单位');
  return {
    number,
    section,
    title,
    body: body.raw,
    owners,
    fanOut: fanOut ? 'counties' : null,
    ...(fanOut && fanOutRole === 'co' ? { fanOutRole } : {}),
    due,
    dueText,
    targets: findTargets(body),
    warnings,
  };
}

/**
 * The sub-items of an item that is a heading over them: its first level of numbered lines
 * below, when there are at least two and each names its own owners while the text above them
 * names none (`2.深化改革。(1)推进…(市发展改革委牵头)(2)完善…(市财政局牵头)` in a plan whose other
 * items are `1.`, `3.`). Their section is the item's heading. Empty when the item is one item.
 */
function subItems(draft: Draft): Array<{ number: string; section: string | null; text: Span }> {
  if (draft.below.length < 2) return [];
  const level = draft.below.reduce((min, b) => (b.line.rank! < min ? b.line.rank! : min), draft.below[0]!.line.rank!);
  const subs = draft.below.filter((b) => b.line.rank === level);
  if (subs.length < 2) return [];
  const head = joinLines(draft.lines.slice(0, subs[0]!.at));
  if (hasOwners(head)) return [];
  const pieces = subs.map((sub, i) => ({
    number: sub.line.number,
    text: joinLines([sub.line.rest, ...draft.lines.slice(sub.at + 1, subs[i + 1]?.at ?? draft.lines.length)]),
  }));
  if (!pieces.every((p) => hasOwners(p.text))) return [];
  const section = headingText(head) ?? draft.section;
  return pieces.map((p) => ({ ...p, section }));
}

function numberedItems(lines: readonly Line[], from: number, year: number, build: BuildItem, warnings: string[]): PlanItem[] {
  const rank = itemRank(lines, from);
  const inline = rank === INLINE_RANK;
  const containerRank = inline ? lines.reduce((max, l) => Math.max(max, l.rank ?? -1), -1) : rank;
  return collect(lines, from, containerRank, warnings).flatMap((draft) => {
    const text = joinLines(draft.lines);
    const pieces = inline ? splitInline(text) : [];
    if (pieces.length === 0) {
      const subs = subItems(draft);
      if (subs.length > 0) return subs.map((sub) => build(sub.number, sub.section, sub.text, year));
      return [build(draft.number, draft.section, text, year)];
    }
    const section = headingText(pieces[0]!.lead) ?? draft.section;
    return pieces.map((p) => build(p.number, section, p.text, year));
  });
}

/** A plan with no printed numbers at all can still enumerate its items inline, 一是…二是…. */
function inlineItems(lines: readonly Line[], year: number, build: BuildItem, warnings: string[]): PlanItem[] {
  const start = lines.findIndex((l) => firstInlineMarker(l.text.f) >= 0);
  if (start < 0) return [];
  const first = lines[start]!;
  const opening: Line = { ...first, rank: 0, number: '', rest: slice(first.text, firstInlineMarker(first.text.f)) };
  const [draft] = collect([opening, ...lines.slice(start + 1)], 0, 0, warnings);
  return splitInline(joinLines(draft!.lines)).map((p) => build(p.number, null, p.text, year));
}

/** The items of a plan written as prose: the paragraphs joined, one per line. */
function proseItems(lines: readonly Line[], year: number, build: BuildItem, warnings: string[]): PlanItem[] {
  const firstNumbered = lines.findIndex((l) => l.rank !== null);
  return firstNumbered < 0 ? inlineItems(lines, year, build, warnings) : numberedItems(lines, firstNumbered, year, build, warnings);
}

/**
 * Reads a work plan (工作要点, 分工方案, 任务清单…) into its items: from the tables whose
 * columns it recognises (tables.ts), in order, and when they give none from the prose, where text
 * before the first numbered line (cover letter, preamble) is not an item and headings above the
 * item level name each item's section. The title is read from the paragraphs (or a caption row
 * spanning a table), the year from options, the title or the year the text's dates fall in (findYear).
 * Warnings: the tables' (rows rebuilt from text, a table without a task column), then the
 * prose's. Throws PlanYearMissingError only when no year is given or written.
 */
export function parseDocument(doc: PlanDocument, options: ParseOptions = {}): ParsedPlan {
  // A loop, not flatMap: a text document is a block per line.
  const paragraphs: string[] = [];
  for (const b of doc.blocks) if (b.kind === 'paragraph') paragraphs.push(b.text);
  const tables = doc.blocks.filter((b): b is PlanTable => b.kind === 'table');
  const text = paragraphs.join('\n');
  const lines = readLines(text);
  const firstNumbered = lines.findIndex((l) => l.rank !== null);
  const captions = tables.flatMap((t) => tableCaptions(t));
  const title = findTitle(lines.length > 0 ? lines : readLines(captions.join('\n')), firstNumbered < 0 ? lines.length : firstNumbered);
  // The whole text is joined only when no year is given and the title names none.
  const year = findYear(options, title, () => [text, ...tables.flatMap((t) => t.rows.map((r) => r.join('\n')))].join('\n'));
  const warnings: string[] = [];
  const tableLegend: Legend = { firstLeads: false };
  const fromTables = readTables(tables, year, (n, s, t, y) => buildItem(n, s, t, y, tableLegend), warnings);
  const proseLegend: Legend = { firstLeads: false };
  const items = fromTables.length > 0 ? fromTables : proseItems(lines, year, (n, s, t, y) => buildItem(n, s, t, y, proseLegend), warnings);
  if (items.length === 0) warnings.push('未识别到任何条目');
  return { title, year, items, warnings };
}

/** `parseDocument` of the text read by `readTextDocument`: pasted tables that lost their grid are read as tables. */
export function parse(text: string, options: ParseOptions = {}): ParsedPlan {
  return parseDocument(readTextDocument(text), options);
}
