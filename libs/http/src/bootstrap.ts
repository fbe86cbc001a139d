import type { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { httpMetrics, MetricsRegistry } from './metrics.js';
import { ProblemFilter } from './problem.js';
import { createValidationPipe } from './validation.js';

export interface HttpAppOptions {
  bodyLimit: string;
  trustProxy?: string;
}

const MAX_DEPTH = 32;

/** Deeply nested JSON is refused before parsing: walking it later (validation, hashing) recurses. */
function refuseDeepNesting(_req: unknown, _res: unknown, body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_DEPTH) throw new Error(`the JSON body is nested deeper than ${MAX_DEPTH} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function refuseProtoKeys(key: string, value: unknown): unknown {
  if (PROTOTYPE_KEYS.has(key)) throw new SyntaxError(`a "${key}" key is not accepted`);
  return value;
}

/** What every Duban HTTP listener shares: logs, security headers, body limits, errors, shutdown. */
export function configureHttpApp(app: NestExpressApplication, options: HttpAppOptions): void {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  if (options.trustProxy) app.set('trust proxy', options.trustProxy);
  app.disable('x-powered-by');
  app.use(httpMetrics(app.get(MetricsRegistry)));
  // No upgrade-insecure-requests: the bureau's intranet often serves plain HTTP behind its own
  // gateway, and the directive would send the API docs' scripts to an https port that is not there.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  // "__proto__", "constructor" and "prototype" keys are never data here: they are refused
  // outright, rather than silently dropped by the DTO layer or left to reach a merge.
  // Express' own parser rather than useBodyParser: Nest's options type leaves out `verify`.
  app.use(json({ limit: options.bodyLimit, reviver: refuseProtoKeys, verify: refuseDeepNesting }));
  // Holiday calendars arrive as .ics files (PUT /calendars/:key/years/:year).
  app.useBodyParser('text', { type: 'text/calendar', limit: options.bodyLimit });
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
}

/**
 * On SIGTERM or SIGINT: stop accepting, let in-flight requests and active jobs finish, close
 * the pools, then exit 0 (Nest's own hooks re-raise the signal, which reads as a crash).
 */
export function closeOnSignals(app: NestExpressApplication): void {
  const close = (signal: NodeJS.Signals) => {
    app.get(Logger).log(`${signal} received: shutting down`);
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.get(Logger).error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}
