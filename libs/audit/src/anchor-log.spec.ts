import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { appendAnchors, compareWithLog, type LoggedAnchor, readAnchorLog } from './anchor-log.js';

const anchor = (id: number, headsHash = `h${id}`): LoggedAnchor => ({
  id: String(id),
  cutoff: new Date(Date.UTC(2026, 0, id)).toISOString(),
  tasks: id,
  entries: String(id * 3),
  headsHash,
  prevHash: `p${id}`,
  hash: `x${id}`,
});

describe('compareWithLog', () => {
  it('finds nothing when the database holds what the log holds', () => {
    expect(compareWithLog([anchor(1), anchor(2)], [anchor(1), anchor(2)])).toEqual([]);
  });

  it('names an anchor deleted from the database, the last one included', () => {
    expect(compareWithLog([anchor(1)], [anchor(1), anchor(2)])).toEqual([
      { id: '2', cutoff: anchor(2).cutoff, problem: 'is in the anchor log but not in the database (deleted)' },
    ]);
  });

  it('names the fields of an anchor rewritten in the database', () => {
    expect(compareWithLog([anchor(1, 'forged')], [anchor(1)])).toEqual([
      { id: '1', cutoff: anchor(1).cutoff, problem: 'differs from the anchor log in headsHash' },
    ]);
  });

  it('names an anchor the log lacks after the log began, and accepts those from before it', () => {
    expect(compareWithLog([anchor(1), anchor(2), anchor(3)], [anchor(2)])).toEqual([
      { id: '3', cutoff: anchor(3).cutoff, problem: 'is not in the anchor log' },
    ]);
  });

  it('says so once when the log holds none of the anchors', () => {
    expect(compareWithLog([anchor(1), anchor(2)], [])).toEqual([
      { id: '2', cutoff: anchor(2).cutoff, problem: "the anchor log holds none of the database's 2 anchor(s)" },
    ]);
  });
});

describe('the anchor log file', () => {
  it('appends one JSON line per anchor, reads them back and reports lines that do not parse', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'anchor-log-'));
    try {
      const path = join(dir, 'anchors.jsonl');
      expect(await readAnchorLog(path)).toEqual({ anchors: [], unreadable: [] });
      await appendAnchors(path, [anchor(1)]);
      await appendAnchors(path, [anchor(2)]);
      const lines = (await readFile(path, 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(JSON.parse(lines[1]!)).toMatchObject({ ...anchor(2), loggedAt: expect.any(String) });
      await writeFile(path, 'not json\n', { flag: 'a' });
      const read = await readAnchorLog(path);
      expect(read.anchors.map((a) => a.id)).toEqual(['1', '2']);
      expect(read.unreadable).toEqual([3]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
