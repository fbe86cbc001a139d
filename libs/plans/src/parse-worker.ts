/**
 * Worker-thread entry (see plan-parser.ts): parses one plan, text or document, off the api's event
 * loop and posts back the plan, or which error stopped it. Errors lose their class between
 * threads, so a missing year travels as a flag.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parse, parseDocument, type PlanDocument, PlanYearMissingError } from '@duban/plan-import';

export type ParseRequest = ({ text: string } | { document: PlanDocument }) & { year?: number };

export type ParseReply = { plan: ReturnType<typeof parse> } | { yearMissing: true } | { error: string };

const request = workerData as ParseRequest;
let reply: ParseReply;
try {
  reply = { plan: 'text' in request ? parse(request.text, { year: request.year }) : parseDocument(request.document, { year: request.year }) };
} catch (err) {
  reply = err instanceof PlanYearMissingError ? { yearMissing: true } : { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
parentPort!.postMessage(reply);
