import { PlanYearMissingError } from '@duban/plan-import';
import {
  PlanFileEmptyError,
  PlanFileEncryptedError,
  PlanFileTooComplexError,
  PlanFileTooLargeError,
  PlanFileTypeError,
  PlanFileUnreadableError,
} from './errors.js';

/**
 * The errors a plan's worker thread may end with that the caller answers for (a 4xx, or the
 * year prompt): rebuilt on the calling thread from their constructor's arguments (`args`).
 */
const KNOWN = {
  PlanYearMissingError,
  PlanFileEmptyError,
  PlanFileEncryptedError,
  PlanFileTooComplexError,
  PlanFileTooLargeError,
  PlanFileTypeError,
  PlanFileUnreadableError,
} as const;

/**
 * An error as it crosses between threads: its class's name and constructor arguments (`args`,
 * libs/plans errors.ts), and its stack for one the caller does not know.
 */
export interface ThreadError {
  name: string;
  args: unknown[];
  stack: string;
}

export function threadError(err: unknown): ThreadError {
  if (!(err instanceof Error)) return { name: 'Error', args: [], stack: String(err) };
  const args = 'args' in err && Array.isArray(err.args) ? [...(err.args as unknown[])] : [];
  return { name: err.constructor.name, args, stack: err.stack ?? err.message };
}

/** The error `threadError` described: a known one with the same class, status, code and message; anything else as an Error carrying the worker's stack. */
export function rebuiltError(error: ThreadError): Error {
  if (!Object.hasOwn(KNOWN, error.name)) return new Error(`plan worker failed: ${error.stack}`);
  const kind = KNOWN[error.name as keyof typeof KNOWN] as new (...args: unknown[]) => Error;
  return new kind(...error.args);
}
