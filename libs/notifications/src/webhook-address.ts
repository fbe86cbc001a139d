import { isIP } from 'node:net';

/**
 * Which webhook targets are refused, as pure functions: an address is classified by its range;
 * a URL's host and the addresses it resolves to are judged against an admin's allow list.
 * Node's WHATWG URL parser already turns `http://2130706433/`, `http://0x7f.1/` and
 * `http://0177.0.0.1/` into `127.0.0.1`, and its resolver returns dotted or colon forms only.
 */

/** Why an address is not a public unicast one, or null when it is. */
export type AddressRefusal =
  'loopback' | 'private' | 'link-local' | 'shared (CGNAT)' | 'unspecified' | 'cloud metadata' | 'multicast' | 'reserved' | 'not an IP address';

type V4Range = [base: number, bits: number, why: AddressRefusal];

const v4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

const V4_RANGES: V4Range[] = [
  [v4(169, 254, 169, 254), 32, 'cloud metadata'],
  [v4(0, 0, 0, 0), 8, 'unspecified'],
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(169, 254, 0, 0), 16, 'link-local'],
  [v4(100, 64, 0, 0), 10, 'shared (CGNAT)'],
  [v4(192, 0, 0, 0), 24, 'reserved'],
  [v4(192, 0, 2, 0), 24, 'reserved'],
  [v4(198, 18, 0, 0), 15, 'reserved'],
  [v4(198, 51, 100, 0), 24, 'reserved'],
  [v4(203, 0, 113, 0), 24, 'reserved'],
  [v4(224, 0, 0, 0), 4, 'multicast'],
  [v4(240, 0, 0, 0), 4, 'reserved'],
];

function parseV4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return v4(Number(parts[0]), Number(parts[1]), Number(parts[2]), Number(parts[3]));
}

function classifyV4(value: number): AddressRefusal | null {
  for (const [base, bits, why] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((value & mask) >>> 0 === base) return why;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, a trailing dotted IPv4 read), or null. */
export function parseV6(text: string): number[] | null {
  let rest = text.replace(/%.*$/, '').toLowerCase();
  const dotted = /(^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(rest);
  if (dotted) {
    const value = parseV4(dotted[2]!);
    if (value === null) return null;
    rest = `${rest.slice(0, rest.length - dotted[2]!.length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const halves = rest.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const after = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...after].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const known = head.length + after.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  return [...head, ...new Array<string>(8 - known).fill('0'), ...after].map((g) => parseInt(g, 16));
}

const embeddedV4 = (hi: number, lo: number) => ((hi << 16) | lo) >>> 0;

function classifyV6(g: number[]): AddressRefusal | null {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 target.
  if (zeroUpTo(5) && (g[5] === 0xffff || g[5] === 0)) return classifyV4(embeddedV4(g[6]!, g[7]!)) ?? (g[5] === 0 ? 'reserved' : null);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(embeddedV4(g[6]!, g[7]!));
  if (g[0] === 0x2002) return classifyV4(embeddedV4(g[1]!, g[2]!)); // 6to4
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && g.slice(2, 7).every((x) => x === 0) && g[7] === 0x254) return 'cloud metadata';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'reserved'; // documentation
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return 'reserved'; // discard-only
  return null;
}

/** Why this IP address may not be a webhook's target, or null for a public unicast address. */
export function classifyAddress(address: string): AddressRefusal | null {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare.replace(/%.*$/, ''));
  if (family === 4) return classifyV4(parseV4(bare)!);
  if (family === 6) {
    const groups = parseV6(bare);
    return groups ? classifyV6(groups) : 'not an IP address';
  }
  return 'not an IP address';
}

/** Host names refused whatever they resolve to (cloud metadata services). */
const REFUSED_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

/** WEBHOOK_ALLOW_HOSTS as a set of lower-case names and addresses (IPv6 without brackets). */
export function parseAllowHosts(raw: string | undefined): Set<string> {
  return new Set(
    (raw ?? '')
      .split(',')
      .map((h) =>
        h
          .trim()
          .toLowerCase()
          .replace(/^\[|\]$/g, ''),
      )
      .filter((h) => h !== ''),
  );
}

/** The host of a URL as the resolver takes it: lower case, IPv6 without brackets, no trailing dot. */
export function urlHost(url: URL): string {
  return url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

/**
 * Why a target is refused: its host by name, or the first of the addresses it resolved to that
 * is not public (every address counts, since a client may try any of them). An allow-listed
 * host name admits all its addresses; an allow-listed address admits itself. Null: go ahead.
 */
export function targetRefusal(host: string, addresses: readonly string[], allow: ReadonlySet<string>): string | null {
  if (allow.has(host)) return null;
  if (REFUSED_NAMES.has(host)) return `${host} is a cloud metadata service`;
  if (addresses.length === 0) return `${host} resolves to no address`;
  for (const address of addresses) {
    if (allow.has(address.toLowerCase())) continue;
    const why = classifyAddress(address);
    if (why) return host === address ? `${address} is ${why}` : `${host} resolves to ${address}, ${why}`;
  }
  return null;
}

/** The URL as shown: user and password masked (`https://***:***@host/…`), anything else as stored. */
export function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  if (url.username === '' && url.password === '') return raw;
  return `${url.protocol}//***${url.password === '' ? '' : ':***'}@${url.host}${url.pathname}${url.search}${url.hash}`;
}
