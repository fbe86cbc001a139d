import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ParsedPlan, parse, parseDocument, type PlanDocument } from '@duban/plan-import';
import { PLAN_FILE_LIMITS, PlanFileTooComplexError } from './errors.js';
import type { ParseReply, ParseRequest } from './parse-worker.js';
import { expandedBytes, readPlanFile } from './plan-files.js';
import { documentChars } from './plan-text.js';
import { rebuiltError } from './thread-errors.js';

/**
 * Texts up to this many characters (a document: the characters of its paragraphs and cells)
 * parse in a few milliseconds and stay on the calling thread; longer ones go to a worker thread so that one large plan cannot hold up other requests
 * (/health included) while it is read.
 */
export const OFF_THREAD_CHARS = 20_000;
/** Worker threads parsing at once; further plans wait their turn, so a burst of uploads cannot start a thread each. */
export const MAX_PARSE_WORKERS = 2;
/**
 * Files that expand to at most this many bytes (a ZIP's parts unzipped as declared, a text its
 * length) are read on the calling thread: a 分工表 of a few hundred rows is a sheet of some tens
 * of KB (measured, warm: 300 rows, 96 KB unzipped, 40 ms; 1,000 rows, 285 KB, 60 ms), while a
 * worker thread takes some 850 ms to start as it loads exceljs and mammoth. A file that lies
 * about its size is stopped at what it declared (readPlanFile), so it cannot stay longer in place.
 */
export const IN_PLACE_FILE_BYTES = 256 * 1024;
/**
 * Heap a worker reading a file may use: a workbook at PLAN_FILE_LIMITS.cells needs some 400 MB
 * in exceljs; past this the thread is stopped and the file refused (413), the api unharmed.
 */
const FILE_WORKER_HEAP_MB = 1536;

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

function inWorker<T>(request: ParseRequest, transfer: ArrayBuffer[] = []): Promise<T> {
  const reading = 'file' in request ? request.filename : null;
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: request,
      transferList: transfer,
      ...(reading === null ? {} : { resourceLimits: { maxOldGenerationSizeMb: FILE_WORKER_HEAP_MB } }),
    });
    let settled = false;
    worker.once('message', (reply: ParseReply) => {
      settled = true;
      if ('error' in reply) reject(rebuiltError(reply.error));
      else resolve(('plan' in reply ? reply.plan : reply.document) as T);
    });
    worker.once('error', (err: Error & { code?: string }) => {
      settled = true;
      reject(reading !== null && err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new PlanFileTooComplexError(reading, 'memory') : err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`plan parser worker exited with code ${code} before answering`));
    });
  });
}

/** Sends `request` to a worker thread once one of the MAX_PARSE_WORKERS slots is free. */
async function inSlot<T>(request: ParseRequest, transfer?: ArrayBuffer[]): Promise<T> {
  const release = await slot();
  try {
    return await inWorker<T>(request, transfer);
  } finally {
    release();
  }
}

/**
 * Parses a plan given as text (`parse`) or as a document read from a file (`parseDocument`);
 * long ones in a worker thread (at most MAX_PARSE_WORKERS at once), short ones in place.
 */
export async function parsePlan(input: string | PlanDocument, year?: number): Promise<ParsedPlan> {
  const inPlace = () => (typeof input === 'string' ? parse(input, { year }) : parseDocument(input, { year }));
  if (!hasWorker || (typeof input === 'string' ? input.length : documentChars(input)) <= OFF_THREAD_CHARS) return inPlace();
  return inSlot(typeof input === 'string' ? { text: input, year } : { document: input, year });
}

/**
 * readPlanFile (plan-files.ts: the same document and errors, rebuilt with their class, status and
 * message) off the event loop: a file expanding past IN_PLACE_FILE_BYTES is read in a worker
 * thread sharing parsePlan's MAX_PARSE_WORKERS slots, so a large or crafted workbook cannot hold
 * up other requests while it is unzipped and read. `data` is copied once for the thread and left as it was.
 */
export async function readPlanFileOffLoop(data: Buffer, filename: string): Promise<PlanDocument> {
  const expanded = expandedBytes(data);
  // Past the bound, readPlanFile refuses the file from its ZIP directory before inflating a byte: no thread needed.
  if (!hasWorker || expanded <= IN_PLACE_FILE_BYTES || expanded > PLAN_FILE_LIMITS.expanded) return readPlanFile(data, filename);
  const bytes = new Uint8Array(data);
  return inSlot({ file: bytes, filename }, [bytes.buffer]);
}
