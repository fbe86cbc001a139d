/**
 * Worker-thread entry (see plan-parser.ts): parses one plan text off the api's event loop and
 * posts back the plan, or which error stopped it. Errors lose their class between threads, so a
 * missing year travels as a flag.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parse, PlanYearMissingError } from '@duban/plan-import';

export interface ParseRequest {
  text: string;
  year?: number;
}

export type ParseReply = { plan: ReturnType<typeof parse> } | { yearMissing: true } | { error: string };

const { text, year } = workerData as ParseRequest;
let reply: ParseReply;
try {
  reply = { plan: parse(text, { year }) };
} catch (err) {
  reply = err instanceof PlanYearMissingError ? { yearMissing: true } : { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
parentPort!.postMessage(reply);
