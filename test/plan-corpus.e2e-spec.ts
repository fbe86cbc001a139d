import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse, parseDocument, type ParsedPlan, PlanYearMissingError } from '@duban/plan-import';
import { readPlanFile } from '../libs/plans/src/plan-files.js';
import { chinese } from '../libs/plan-import/src/spec-support.js';
import { compare, type FixtureResult, figures, fold, foldNumber, type PlanLabels, sameUnit, sameUnits } from './support/plan-corpus.js';
import { SEED_004_OWNERS } from './support/seed-004-owners.js';
import { ROOT } from './support/test-env.js';

/**
 * The importer measured against real published plans and tables (test/fixtures/plans, each
 * document's page, issuer and date in SOURCES.md, labels written by hand from the document). Needs
 * no database: .txt fixtures go through `parse` as pasted text, .xlsx/.docx through
 * `readPlanFile` and `parseDocument` as uploaded files. The thresholds are issue 19's: every
 * document's item count exact, at least 95% of the labelled items with exactly their leads.
 */
const DIR = join(ROOT, 'test', 'fixtures', 'plans');
const READABLE = /\.(txt|xlsx|docx)$/;

/** Every fixture with its labels: `X.txt`, `X.xlsx` and `X.docx` share `X.labels.json`. */
const fixtures = readdirSync(DIR)
  .filter((name) => READABLE.test(name))
  .sort()
  .map((name) => ({ name, labels: JSON.parse(readFileSync(join(DIR, name.replace(READABLE, '.labels.json')), 'utf8')) as PlanLabels }));

/** Seed 004 (韶关市数字政府改革建设2023年工作要点), the repository's copy of ../shared/seeds/004_*.txt. */
const SEED_004 = join(ROOT, 'apps', 'cli', 'demo', 'shaoguan-2023-plan.txt');
const SEED_004_FAN_OUT = new Set([1, 2, 32, 33, 34, 36, 37, 38]);
const SEED_004_LABELS: PlanLabels = {
  year: 2023,
  items: SEED_004_OWNERS.map((owners, i) => ({
    number: `(${chinese(i + 1)})`,
    lead: owners.map((o) => o.replace(/:lead$/, '')),
    co: [],
    fanOut: SEED_004_FAN_OUT.has(i + 1),
  })),
};

/**
 * Reads one fixture as the importer would be given it. The year is the importer's to find; when
 * it finds none the labelled year is passed, so the items are still measured, and the result
 * records that no year was found.
 */
async function read(name: string, data: Buffer, labels: PlanLabels): Promise<FixtureResult> {
  const items = async (year?: number): Promise<ParsedPlan> =>
    name.endsWith('.txt') ? parse(data.toString('utf8'), { year }) : parseDocument(await readPlanFile(data, name), { year });
  try {
    return compare(name, await items(), labels);
  } catch (error) {
    if (!(error instanceof PlanYearMissingError)) return compare(name, null, labels, String(error));
    return { ...compare(name, await items(labels.year), labels), yearFound: null };
  }
}

describe('plan corpus: real published plans and tables', () => {
  it('reads every document to its labelled item count, and at least 95% of the items to exactly their leads', async () => {
    const results = [
      ...(await Promise.all(fixtures.map(({ name, labels }) => read(name, readFileSync(join(DIR, name)), labels)))),
      await read('seed-004.txt', readFileSync(SEED_004), SEED_004_LABELS),
    ];
    const corpus = figures(results);
    process.stdout.write(`${JSON.stringify(corpus)}\n`);

    expect(corpus.documents).toBeGreaterThanOrEqual(16);
    expect(corpus.perDocument.filter((d) => d.found !== d.expected || d.error)).toEqual([]);
    expect(corpus.exactCountDocuments).toBe(corpus.documents);
    expect(corpus.leadAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('reads seed 004 to its 41 items, each with exactly its leads', () => {
    const plan = parse(readFileSync(SEED_004, 'utf8'));
    const result = compare('seed-004.txt', plan, SEED_004_LABELS);
    expect([result.found, result.leadsRight]).toEqual([41, 41]);
  });

  it('has at least 15 documents from different places and years, tables among them in xlsx and docx and two in traditional script', () => {
    const documents = new Set(fixtures.map((f) => f.name.replace(READABLE, '')));
    expect(documents.size).toBeGreaterThanOrEqual(15);
    expect(new Set(fixtures.map((f) => f.labels.year)).size).toBeGreaterThanOrEqual(8);
    expect(fixtures.filter((f) => f.name.endsWith('.xlsx')).length).toBeGreaterThanOrEqual(3);
    expect(fixtures.filter((f) => f.name.endsWith('.docx')).length).toBeGreaterThanOrEqual(3);
    expect(fixtures.filter((f) => f.name.endsWith('-hant.txt')).length).toBeGreaterThanOrEqual(2);
  });
});

describe('plan corpus: how a found unit is compared with a labelled one', () => {
  it('folds full-width brackets and whitespace', () => {
    expect(fold('市政府（办公室） ')).toBe(fold('市政府(办公室)'));
  });

  it('reads (二十四), （二十四） and 二十四、 as one number, and 1. as 1', () => {
    expect(new Set(['(二十四)', '（二十四）', '二十四、'].map(foldNumber)).size).toBe(1);
    expect(foldNumber('1.')).toBe('1');
  });

  it('takes the importer’s inherited 市 for the unit the document writes without it', () => {
    expect(sameUnit('市财政局', '财政局')).toBe(true);
  });

  it('does not take a different unit that merely ends alike', () => {
    expect(sameUnit('市财政局', '区财政局')).toBe(false);
    expect(sameUnit('财政局', '市财政局')).toBe(false);
  });

  it('compares unit lists as sets, one found unit per labelled unit', () => {
    expect(sameUnits(['区财政局', '区发改局'], ['区发改局', '区财政局'])).toBe(true);
    expect(sameUnits(['区发改局', '区发改局'], ['区发改局', '区财政局'])).toBe(false);
  });

  it('counts a labelled item the importer did not find as a miss of its lead', () => {
    const result = compare('x.txt', null, { year: 2023, items: [{ number: '1', lead: ['区发改局'], co: [], fanOut: false }] });
    expect([result.found, result.leadsRight, result.misses[0]!.what]).toEqual([0, 0, ['missing']]);
  });
});
