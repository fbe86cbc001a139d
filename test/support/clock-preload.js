// Loaded into a built Duban process by NODE_OPTIONS=--import (see clock.ts), never by the product.
// Replaces the process's wall clock (Date.now() and new Date()) with one a test controls:
// - DUBAN_TEST_CLOCK_OFFSET_MS=<ms>: the clock runs that far ahead (behind, if negative), as on
//   a host whose clock is off;
// - DUBAN_TEST_CLOCK_PORT=<port>: PUT {"at": "<ISO instant>"} to http://127.0.0.1:<port>/ and the
//   clock reads exactly that instant until the next PUT; {"at": null} gives the real time back.
//   Duban's clock is its database's (duban_now()), so a stopped clock stops that one too: the
//   function is redefined in DATABASE_URL's database to answer the same instant (and restored).
// Timeouts, intervals and performance.now() are untouched: only what the process reads as "now".
import { createServer } from 'node:http';
import { isMainThread } from 'node:worker_threads';

const port = Number(process.env.DUBAN_TEST_CLOCK_PORT);
const offsetMs = Number(process.env.DUBAN_TEST_CLOCK_OFFSET_MS ?? 0);
if (isMainThread && (port > 0 || offsetMs !== 0)) {
  const RealDate = Date;
  /** The stopped instant in ms, or null for the real time (plus the offset). */
  let stoppedAt = null;
  const now = () => stoppedAt ?? RealDate.now() + offsetMs;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, key, receiver) => (key === 'now' ? now : Reflect.get(target, key, receiver)),
  });

  /** Stops the database's clock at `ms` too, or gives it the real time back (null). */
  const setDatabaseClock = async (ms) => {
    if (!process.env.DATABASE_URL) return;
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const body = ms === null ? `SELECT date_trunc('milliseconds', clock_timestamp())` : `SELECT '${new RealDate(ms).toISOString()}'::timestamptz`;
      await client.query(`CREATE OR REPLACE FUNCTION duban_now() RETURNS timestamptz LANGUAGE sql STABLE AS $$ ${body} $$`);
    } finally {
      await client.end();
    }
  };

  if (port > 0) {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', async () => {
        try {
          const { at } = JSON.parse(body || '{}');
          const ms = at === null ? null : RealDate.parse(at);
          if (ms !== null && Number.isNaN(ms)) throw new Error(`not an instant: ${at}`);
          await setDatabaseClock(ms);
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
}
