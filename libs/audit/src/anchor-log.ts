import { open, readFile } from 'node:fs/promises';

/**
 * The copy of each anchor kept out of the database's reach (AUDIT_ANCHOR_LOG): one JSON line per
 * anchor, only ever appended. Whoever can rewrite the database cannot rewrite this file when it
 * lives elsewhere (another volume or host, a file made append-only with `chattr +a`, a log
 * shipper), so `audit:verify` judges the database's anchors by it.
 */
export interface LoggedAnchor {
  id: string;
  cutoff: string;
  tasks: number;
  entries: string;
  headsHash: string;
  prevHash: string;
  hash: string;
}

/** Appends the anchors, one line each, and flushes them to disk before returning. */
export async function appendAnchors(path: string, anchors: readonly LoggedAnchor[]): Promise<void> {
  if (anchors.length === 0) return;
  const file = await open(path, 'a', 0o640);
  try {
    await file.appendFile(anchors.map((a) => JSON.stringify({ ...a, loggedAt: new Date().toISOString() }) + '\n').join(''));
    await file.datasync();
  } finally {
    await file.close();
  }
}

/** The anchors of the log in file order; a missing file is an empty log, a line that does not parse is reported. */
export async function readAnchorLog(path: string): Promise<{ anchors: LoggedAnchor[]; unreadable: number[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { anchors: [], unreadable: [] };
    throw err;
  }
  const anchors: LoggedAnchor[] = [];
  const unreadable: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const a = JSON.parse(line) as Partial<LoggedAnchor>;
      if (typeof a.id !== 'string' || typeof a.headsHash !== 'string' || typeof a.hash !== 'string') throw new Error('not an anchor');
      anchors.push(a as LoggedAnchor);
    } catch {
      unreadable.push(i + 1);
    }
  });
  return { anchors, unreadable };
}

/** What is wrong with one anchor when the database is judged by the log. */
export interface LogProblem {
  id: string;
  cutoff: string;
  problem: string;
}

/**
 * The database's anchors against the log, as a pure comparison: an anchor in the log but not in
 * the database was deleted; one whose fields differ was rewritten; one the log lacks although
 * the log began before it was forged or written while the log could not be (both worth a look).
 */
export function compareWithLog(db: readonly LoggedAnchor[], logged: readonly LoggedAnchor[]): LogProblem[] {
  const problems: LogProblem[] = [];
  const inDb = new Map(db.map((a) => [a.id, a]));
  const inLog = new Map(logged.map((a) => [a.id, a]));
  for (const l of logged) {
    const d = inDb.get(l.id);
    if (!d) {
      problems.push({ id: l.id, cutoff: l.cutoff, problem: 'is in the anchor log but not in the database (deleted)' });
      continue;
    }
    const differ = (['cutoff', 'tasks', 'entries', 'headsHash', 'prevHash', 'hash'] as const).filter((k) => String(d[k]) !== String(l[k]));
    if (differ.length > 0) problems.push({ id: l.id, cutoff: l.cutoff, problem: `differs from the anchor log in ${differ.join(', ')}` });
  }
  const firstLogged = logged.reduce<bigint | null>((min, a) => (min === null || BigInt(a.id) < min ? BigInt(a.id) : min), null);
  for (const d of db) {
    if (inLog.has(d.id)) continue;
    if (firstLogged !== null && BigInt(d.id) > firstLogged) problems.push({ id: d.id, cutoff: d.cutoff, problem: 'is not in the anchor log' });
  }
  if (logged.length === 0 && db.length > 0) {
    problems.push({ id: db.at(-1)!.id, cutoff: db.at(-1)!.cutoff, problem: `the anchor log holds none of the database's ${db.length} anchor(s)` });
  }
  return problems;
}
