import type { ParsedPlan } from '@duban/plan-import';

/**
 * A fixture's labels, written by hand from the document (test/fixtures/plans/SOURCES.md gives
 * the reading rules): the plan's year and its items in document order, each with its number as
 * printed (null where the table numbers nothing), its lead and co units as the document writes
 * them, and whether it fans out to every county/district/street.
 */
export interface PlanLabels {
  year: number;
  items: Array<{ number: string | null; lead: string[]; co: string[]; fanOut: boolean }>;
}

/** One labelled item the importer read otherwise: what the labels say and what it found. */
export interface ItemMiss {
  number: string | null;
  what: Array<'missing' | 'number' | 'lead' | 'co' | 'fanOut'>;
  expected: { lead: string[]; co: string[]; fanOut: boolean };
  found: { number: string; lead: string[]; co: string[]; fanOut: boolean } | null;
}

/** How the importer read one fixture against its labels. */
export interface FixtureResult {
  fixture: string;
  expected: number;
  found: number;
  /** Items whose leads (and co-units) match as sets, under the unit rule below. */
  leadsRight: number;
  coRight: number;
  year: number;
  /** The year the importer read; null when reading threw. */
  yearFound: number | null;
  /** Set when reading the fixture threw: the error's message. */
  error: string | null;
  misses: ItemMiss[];
}

/**
 * The comparison's whole allowance, kept small on purpose: full/half-width forms and whitespace
 * are folded (NFKC, spaces removed), so `（` and `(` compare equal.
 */
export const fold = (s: string): string => s.normalize('NFKC').replace(/\s+/g, '');

/**
 * An item number as compared: folded, without brackets, and without the trailing `.`, `、` or
 * `．` the document prints after it — `(二十四)`, `（二十四）` and `二十四、` all read `二十四`.
 */
export const foldNumber = (s: string): string => fold(s).replace(/[()、.]/g, '');

/**
 * A unit the importer found stands for a labelled unit when both fold to the same text, or when
 * the found one only adds the level prefix (市, 区, 县, 省) the importer gives a unit that inherits
 * the prefix of the first unit in its list (libs/plan-import/src/owners.ts `resolveOwners`:
 * `市发展改革委、财政局` → `市财政局`).
 */
export function sameUnit(found: string, labelled: string): boolean {
  const f = fold(found);
  const l = fold(labelled);
  return f === l || (f.length === l.length + 1 && /^[市区县省]/.test(f) && f.slice(1) === l);
}

/** Whether two unit lists name the same units, in any order, each found unit standing for one labelled unit. */
export function sameUnits(found: readonly string[], labelled: readonly string[]): boolean {
  if (found.length !== labelled.length) return false;
  const left = [...labelled];
  for (const unit of found) {
    const i = left.findIndex((l) => sameUnit(unit, l));
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

/**
 * Compares a parsed plan with its labels. A labelled item is paired with the first unpaired
 * found item of the same number; an item labelled without a number, with the found item at its
 * position. An item counts as lead-right when its lead set matches, co-right when its co set does.
 */
export function compare(fixture: string, plan: ParsedPlan | null, labels: PlanLabels, error: string | null = null): FixtureResult {
  const items = plan?.items ?? [];
  const paired = new Set<number>();
  const misses: ItemMiss[] = [];
  let leadsRight = 0;
  let coRight = 0;
  labels.items.forEach((label, position) => {
    const candidates = items.map((item, i) => ({ item, i })).filter(({ i }) => !paired.has(i));
    const match =
      label.number === null ? candidates.find(({ i }) => i === position) : candidates.find(({ item }) => foldNumber(item.number) === foldNumber(label.number!));
    const expected = { lead: label.lead, co: label.co, fanOut: label.fanOut };
    if (!match) {
      misses.push({ number: label.number, what: ['missing'], expected, found: null });
      return;
    }
    paired.add(match.i);
    const found = {
      number: match.item.number,
      lead: match.item.owners.filter((o) => o.role === 'lead').map((o) => o.name),
      co: match.item.owners.filter((o) => o.role === 'co').map((o) => o.name),
      fanOut: match.item.fanOut !== null,
    };
    const what: ItemMiss['what'] = [];
    if (sameUnits(found.lead, label.lead)) leadsRight++;
    else what.push('lead');
    if (sameUnits(found.co, label.co)) coRight++;
    else what.push('co');
    if (found.fanOut !== label.fanOut) what.push('fanOut');
    if (what.length > 0) misses.push({ number: label.number, what, expected, found });
  });
  return {
    fixture,
    expected: labels.items.length,
    found: items.length,
    leadsRight,
    coRight,
    year: labels.year,
    yearFound: plan?.year ?? null,
    error,
    misses,
  };
}

/** The corpus's figures, printed as one JSON line by the corpus test. Accuracies are fractions of labelled items. */
export interface CorpusFigures {
  documents: number;
  itemsExpected: number;
  itemsFound: number;
  exactCountDocuments: number;
  leadAccuracy: number;
  coAccuracy: number;
  perDocument: Array<{ fixture: string; expected: number; found: number; yearFound?: number | null; error?: string; misses?: ItemMiss[] }>;
}

export function figures(results: readonly FixtureResult[]): CorpusFigures {
  const sum = (f: (r: FixtureResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const itemsExpected = sum((r) => r.expected);
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return {
    documents: results.length,
    itemsExpected,
    itemsFound: sum((r) => r.found),
    exactCountDocuments: results.filter((r) => r.found === r.expected).length,
    leadAccuracy: round(sum((r) => r.leadsRight) / itemsExpected),
    coAccuracy: round(sum((r) => r.coRight) / itemsExpected),
    perDocument: results.map((r) => ({
      fixture: r.fixture,
      expected: r.expected,
      found: r.found,
      ...(r.yearFound !== r.year ? { yearFound: r.yearFound } : {}),
      ...(r.error ? { error: r.error } : {}),
      ...(r.misses.length > 0 ? { misses: r.misses } : {}),
    })),
  };
}
