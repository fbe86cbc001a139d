import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { targetRefusal, urlHost } from './webhook-address.js';

/** A resolved, checked address: the one the delivery connects to. */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** A webhook target on a refused address (loopback, private, link-local, metadata…). */
export class RefusedTargetError extends Error {
  constructor(readonly reason: string) {
    super(`网络钩子地址不允许：${reason} (webhook target refused: ${reason})`);
    this.name = 'RefusedTargetError';
  }
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** Resolves the URL's host once, checks every address, and returns the first to connect to. */
export async function checkTarget(raw: string, allow: ReadonlySet<string>, resolve: Resolver = systemResolver): Promise<CheckedTarget> {
  const url = new URL(raw);
  const host = urlHost(url);
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
  } catch (err) {
    throw new RefusedTargetError(`${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const why = targetRefusal(
    host,
    addresses.map((a) => a.address),
    allow,
  );
  if (why) throw new RefusedTargetError(why);
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/**
 * POSTs to the checked address and nowhere else: the socket's lookup answers with that address,
 * so a name whose DNS changes after the check (rebinding) cannot send the request elsewhere,
 * while Host and the TLS server name stay the URL's. Redirects are not followed. Resolves with
 * the status after reading the answer away.
 */
export function postToTarget(target: CheckedTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const { url } = target;
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      {
        protocol: url.protocol,
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        lookup: pinned,
        auth: url.username || url.password ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res: IncomingMessage) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
