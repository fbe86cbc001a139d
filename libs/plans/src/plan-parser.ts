import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ParsedPlan, parse, parseDocument, type PlanDocument, PlanYearMissingError } from '@duban/plan-import';
import type { ParseReply, ParseRequest } from './parse-worker.js';

/**
 * Texts up to this many characters (a document: the characters of its paragraphs and cells)
 * parse in a few milliseconds and stay on the calling thread; longer ones go to a worker thread so that one large plan cannot hold up other requests
 * (/health included) while it is read.
 */
export const OFF_THREAD_CHARS = 20_000;
/** Worker threads parsing at once; further plans wait their turn, so a burst of uploads cannot start a thread each. */
export const MAX_PARSE_WORKERS = 2;

const WORKER = new URL('./parse-worker.js', import.meta.url);
/**
 * The compiled worker sits next to this module in dist/; when the sources run directly (ts-jest)
 * there is no compiled worker and plans parse in-process.
 */
const hasWorker = WORKER.protocol === 'file:' && existsSync(fileURLToPath(WORKER));

let running = 0;
const waiting: Array<() => void> = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_PARSE_WORKERS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

function inWorker(request: ParseRequest): Promise<ParsedPlan> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: request });
    let settled = false;
    worker.once('message', (reply: ParseReply) => {
      settled = true;
      if ('plan' in reply) resolve(reply.plan);
      else if ('yearMissing' in reply) reject(new PlanYearMissingError());
      else reject(new Error(`plan parser worker failed: ${reply.error}`));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`plan parser worker exited with code ${code} before answering`));
    });
  });
}

/** A document's size as the parser sees it: the characters of its paragraphs and cells. */
function charsOf(doc: PlanDocument): number {
  let chars = 0;
  for (const block of doc.blocks) {
    if (block.kind === 'paragraph') chars += block.text.length;
    else for (const row of block.rows) for (const cell of row) chars += cell.length;
  }
  return chars;
}

/**
 * Parses a plan given as text (`parse`) or as a document read from a file (`parseDocument`);
 * long ones in a worker thread (at most MAX_PARSE_WORKERS at once), short ones in place.
 */
export async function parsePlan(input: string | PlanDocument, year?: number): Promise<ParsedPlan> {
  const inPlace = () => (typeof input === 'string' ? parse(input, { year }) : parseDocument(input, { year }));
  if (!hasWorker || (typeof input === 'string' ? input.length : charsOf(input)) <= OFF_THREAD_CHARS) return inPlace();
  const release = await slot();
  try {
    return await inWorker(typeof input === 'string' ? { text: input, year } : { document: input, year });
  } finally {
    release();
  }
}
