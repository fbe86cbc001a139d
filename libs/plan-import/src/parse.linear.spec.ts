import { describe, expect, it } from '@jest/globals';
import { parse } from './index.js';

/**
 * Crafted plans that made the parser quadratic or worse (66 s on 128 kB of brackets, 80 s on
 * 64,000 owner lines): each is generated at 10 kB … 500 kB of UTF-8, and its parse time must
 * grow about linearly and stay under a second at the size limit.
 */
const KB = 1024;
const HEAD = '2024年工作要点\n一、总体\n（一）推进工作。\n';

/** `unit` repeated until the plan reaches `bytes` of UTF-8. */
const repeated = (unit: string, bytes: number) => HEAD + unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));

function numbered(bytes: number, line: (i: number) => string): string {
  const lines = [HEAD];
  let size = Buffer.byteLength(HEAD);
  for (let i = 0; size < bytes; i++) {
    const l = line(i);
    lines.push(l);
    size += Buffer.byteLength(l);
  }
  return lines.join('');
}

const ADVERSARIAL: ReadonlyArray<readonly [string, (bytes: number) => string]> = [
  ['unclosed full-width brackets （（（…', (b) => repeated('（', b)],
  ['unclosed brackets (((…', (b) => repeated('(', b)],
  ['openers then stray closers of the other kind (((…]]]', (b) => repeated('(', b / 2) + ']'.repeat(b / 2)],
  ['lines that close brackets never opened', (b) => repeated('推进)\n', b)],
  ['one owner line after another 牵头单位：…', (b) => numbered(b, (i) => `牵头单位：市第${i}局\n`)],
  ['trailing owner parentheses on one line', (b) => repeated('推进工作（市公安局、市财政局牵头）', b)],
  ['one owner list of thousands of units', (b) => numbered(b, (i) => (i === 0 ? '（牵头单位：' : `市第${i}局、`))],
  ['a long line without numbering', (b) => '2024年\n' + '推进工作完成建设'.repeat(Math.ceil(b / 24))],
  ['many numbered items', (b) => repeated('（二）推进工作。（市公安局牵头）\n', b)],
  ['a run of digits in a target', (b) => `${HEAD}达到${'1'.repeat(b)}。`],
  ['a run of blanks before a line break', (b) => `${HEAD}推进${' \t'.repeat(b / 2)}工作\n完成。`],
  [
    'sub-items run together in one line',
    (b) => HEAD + Array.from({ length: Math.ceil(b / 60) }, (_, i) => `（${(i % 999) + 1}）推进工作。（市公安局牵头）`).join(''),
  ],
  ['one owner list of units joined by 和', (b) => numbered(b, (i) => (i === 0 ? '（牵头单位：' : `市第${i}局和`))],
  ['one owner piece of prose joined by 和 and 及', (b) => numbered(b, (i) => (i === 0 ? '（牵头单位：' : '推进工作和落实及'))],
  ['parts of one shared suffix', (b) => numbered(b, (i) => (i === 0 ? '（牵头单位：' : `第${i}、`))],
  ['a tab-separated table of many rows', (b) => numbered(b, (i) => (i === 0 ? '序号\t工作任务\t牵头单位\t完成时限\n' : `${i}\t推进工作\t市政数局\t6月底前\n`))],
  ['header words one per paragraph, again and again', (b) => repeated('\n序号\n\n工作任务\n\n牵头单位\n', b)],
  ['header words one per line ending in |, again and again', (b) => repeated('序号 |\n工作任务 |\n牵头单位 |\n', b)],
  ['a table row never finished, text after it', (b) => `序号\t工作任务\t牵头单位\n1\t推进\n${repeated('推进工作\n', b)}`],
  ['Excel quotes that never close', (b) => `序号\t工作任务\t牵头单位\n${repeated('1\t"推进\n', b)}`],
  ['key/value values that never close', (b) => repeated('重点工作: | 推进\n', b)],
  [
    'PDF table rows each a cell short',
    (b) => numbered(b, (i) => (i === 0 ? '\n序号\n\n工作任务\n\n牵头单位\n\n完成时限\n\n' : `${i}\n\n推进工作\n\n市政数局\n\n`)),
  ],
];

const LIMIT_MS = 1000;

/**
 * CPU milliseconds of the fastest of three parses. Processor time, not wall time: on a shared
 * machine other processes stretch the wall clock but not the work the parser does.
 */
function bestOf3(text: string): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    parse(text, { year: 2024 });
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
    // Only a parse far over the limit ends the three early (a quadratic one takes minutes): one
    // slow run under CI's load (a major collection) must not stand for the parser's time.
    if (best > 5 * LIMIT_MS) break;
  }
  return best;
}

/** A parse this quick is noise, not a measure to divide by. */
const FLOOR_MS = 20;

describe('parse time on adversarial text', () => {
  it.each(ADVERSARIAL)(
    '%s: grows linearly from 10 kB to 500 kB and stays under 1 s',
    (_name, generate) => {
      const times = new Map<number, number>();
      for (const size of [10, 50, 100, 250, 500]) {
        const ms = bestOf3(generate(size * KB));
        times.set(size, ms);
        // A quadratic parser takes minutes at 500 kB: stop at the first size over the limit.
        if (ms > LIMIT_MS) break;
      }
      const figures = Object.fromEntries([...times].map(([size, ms]) => [`${size} kB`, `${ms.toFixed(0)} ms`]));
      expect({ figures, under1s: times.get(500) !== undefined && times.get(500)! < LIMIT_MS }).toEqual({ figures, under1s: true });
      // Ten times the text in under 25 times the time: quadratic growth would be about 100 times.
      expect(times.get(500)! / Math.max(times.get(50)!, FLOOR_MS)).toBeLessThan(25);
    },
    120_000,
  );
});
