import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ImportLineTooLongError, ndjsonRecords } from './ndjson-records.js';

async function* chunksOf(text: string, cuts: number[]): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b)) {
    yield bytes.subarray(at, cut);
    at = cut;
  }
  yield bytes.subarray(at);
}

const collect = async (chunks: AsyncIterable<Buffer>, maxLine?: number) => {
  const out = [];
  for await (const item of ndjsonRecords(chunks, maxLine)) out.push(item);
  return out;
};

describe('ndjsonRecords', () => {
  it('gives the same records however the bytes are cut into chunks (multi-byte characters split included)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ title: fc.string({ unit: 'grapheme', maxLength: 12 }), n: fc.integer() }), { maxLength: 8 }),
        fc.array(fc.nat({ max: 400 }), { maxLength: 6 }),
        async (records, cuts) => {
          const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
          expect(await collect(chunksOf(text, cuts))).toEqual(records.map((value) => ({ value })));
        },
      ),
    );
  });

  it('skips blank lines, reads a last line without a newline, and names a line that is not JSON as unreadable', async () => {
    const items = await collect(chunksOf('{"a":1}\n\n  \n{"b":\n{"c":3}', [3, 9]));
    expect(items).toEqual([{ value: { a: 1 } }, { unreadable: expect.stringMatching(/^not JSON: /) }, { value: { c: 3 } }]);
  });

  it('stops at the first line longer than the limit, naming its line and record index, after yielding the records before it', async () => {
    const seen: unknown[] = [];
    const run = async () => {
      for await (const item of ndjsonRecords(chunksOf(`{"a":1}\n\n{"b":2}\n"${'x'.repeat(50)}"\n{"c":3}\n`, [20, 40]), 32)) seen.push(item);
    };
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportLineTooLongError);
    expect((err as ImportLineTooLongError).extensions).toMatchObject({ line: 4, index: 2, limit: 32 });
    expect(seen).toEqual([{ value: { a: 1 } }, { value: { b: 2 } }]);
  });
});
