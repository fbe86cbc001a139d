/**
 * Worker-thread entry (see plan-parser.ts): parses one plan, text or document, or reads one plan
 * file into a document, off the api's event loop, and posts back the result or the error that
 * stopped it (threadError: an error's class does not cross between threads).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parse, parseDocument, type PlanDocument } from '@duban/plan-import';
import { type ThreadError, threadError } from './thread-errors.js';

export type ParseRequest = (({ text: string } | { document: PlanDocument }) & { year?: number }) | { file: Uint8Array; filename: string };

export type ParseReply = { plan: ReturnType<typeof parse> } | { document: PlanDocument } | { error: ThreadError };

const request = workerData as ParseRequest;
let reply: ParseReply;
try {
  if ('file' in request) {
    // Loaded only here: exceljs and mammoth are not needed to parse a text.
    const { readPlanFile } = await import('./plan-files.js');
    const data = Buffer.from(request.file.buffer, request.file.byteOffset, request.file.byteLength);
    reply = { document: await readPlanFile(data, request.filename) };
  } else {
    reply = { plan: 'text' in request ? parse(request.text, { year: request.year }) : parseDocument(request.document, { year: request.year }) };
  }
} catch (err) {
  reply = { error: threadError(err) };
}
parentPort!.postMessage(reply);
