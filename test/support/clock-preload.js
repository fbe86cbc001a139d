// Loaded into a built Duban process by NODE_OPTIONS=--import (see clock.ts), never by the product.
// Replaces the process's wall clock (Date.now() and new Date()) with one a test can stop at a
// given instant: PUT {"at": "<ISO instant>"} to http://127.0.0.1:$DUBAN_TEST_CLOCK_PORT/ and the
// clock reads exactly that instant until the next PUT; {"at": null} gives the real time back.
// Timeouts, intervals and performance.now() are untouched: only what the process reads as "now".
import { createServer } from 'node:http';
import { isMainThread } from 'node:worker_threads';

const port = Number(process.env.DUBAN_TEST_CLOCK_PORT);
if (isMainThread && port > 0) {
  const RealDate = Date;
  /** The stopped instant in ms, or null for the real time. */
  let stoppedAt = null;
  const now = () => stoppedAt ?? RealDate.now();
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, key, receiver) => (key === 'now' ? now : Reflect.get(target, key, receiver)),
  });

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try {
        const { at } = JSON.parse(body || '{}');
        const ms = at === null ? null : RealDate.parse(at);
        if (ms !== null && Number.isNaN(ms)) throw new Error(`not an instant: ${at}`);
        stoppedAt = ms;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ now: new RealDate(now()).toISOString() }));
      } catch (err) {
        res.writeHead(400).end(String(err));
      }
    });
  });
  server.on('error', (err) => {
    console.error(`test clock: cannot listen on ${port}: ${err.message}`);
    process.exit(70);
  });
  server.listen(port, '127.0.0.1');
  // The clock's control port never keeps the process alive.
  server.unref();
}
