import ipaddr from 'ipaddr.js';

/**
 * When a security-group source CIDR is "the internet": by containment, not by spelling.
 * `0.0.0.0/1` + `128.0.0.0/1` together open the world as surely as `0.0.0.0/0`, so a source
 * counts as public when it contains a block of public (globally routable) addresses at
 * least as wide as a prefix (default /8 for IPv4, /16 for IPv6), or overlaps a CIDR the
 * configuration names as public. A partner's `/24` is neither. SDK-free and pure.
 */
export class CidrError extends Error {
  override readonly name = 'CidrError';
  constructor(readonly cidr: string) {
    super(`${JSON.stringify(cidr)} is not a CIDR (expected e.g. 203.0.113.0/24 or 2001:db8::/32)`);
  }
}

type Family = 'ipv4' | 'ipv6';
interface Block {
  family: Family;
  first: bigint;
  last: bigint;
  prefix: number;
}

const BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };

function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return address.toByteArray().reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
}

/** Parses `a.b.c.d/n` or `x::/n` (host bits may be set; the block is what the mask keeps). */
export function parseCidr(cidr: string): Block {
  const text = cidr.trim();
  if (!ipaddr.isValidCIDR(text)) throw new CidrError(cidr);
  const [address, prefix] = ipaddr.parseCIDR(text);
  const family: Family = address.kind() === 'ipv4' ? 'ipv4' : 'ipv6';
  const bits = BITS[family];
  const size = 1n << BigInt(bits - prefix);
  const first = (toBigInt(address) / size) * size;
  return { family, first, last: first + size - 1n, prefix };
}

export function isCidr(cidr: string): boolean {
  return ipaddr.isValidCIDR(cidr.trim());
}

/**
 * Address space that is not reachable from the internet, or not unicast: RFC 6890's special
 * purpose registries (private, shared, loopback, link-local, documentation, benchmarking,
 * multicast, reserved). IPv6 outside global unicast (2000::/3) is not public either.
 */
const NOT_PUBLIC: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/3',
  '4000::/2',
  '8000::/1',
  '2001:db8::/32',
];
const NOT_PUBLIC_BLOCKS = NOT_PUBLIC.map(parseCidr);

/** The parts of [first, last] outside every non-public block, as disjoint intervals. */
function publicParts(block: Block): [bigint, bigint][] {
  const holes = NOT_PUBLIC_BLOCKS.filter((b) => b.family === block.family).sort((a, b) =>
    a.first < b.first ? -1 : a.first > b.first ? 1 : 0,
  );
  const parts: [bigint, bigint][] = [];
  let next = block.first;
  for (const hole of holes) {
    if (hole.last < next) continue;
    if (hole.first > block.last) break;
    if (hole.first > next) parts.push([next, hole.first - 1n]);
    next = hole.last + 1n;
    if (next > block.last) return parts;
  }
  if (next <= block.last) parts.push([next, block.last]);
  return parts;
}

/** True when [first, last] holds a whole, aligned block of `size` addresses. */
function holdsAlignedBlock([first, last]: [bigint, bigint], size: bigint): boolean {
  const start = ((first + size - 1n) / size) * size;
  return start + size - 1n <= last;
}

export interface InternetSourceRules {
  /** A source containing a public block this wide (or wider) is the internet. */
  ipv4Prefix: number;
  ipv6Prefix: number;
  /** CIDRs that count as the internet whenever a source overlaps them. */
  publicCidrs: readonly string[];
}

function overlaps(a: Block, b: Block): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** True when a rule from `cidr` lets the internet in (throws CidrError on a non-CIDR). */
export function isInternetSource(cidr: string, rules: InternetSourceRules): boolean {
  const source = parseCidr(cidr);
  if (rules.publicCidrs.some((c) => overlaps(source, parseCidr(c)))) return true;
  const prefix = source.family === 'ipv4' ? rules.ipv4Prefix : rules.ipv6Prefix;
  if (source.prefix > prefix) return false;
  const size = 1n << BigInt(BITS[source.family] - prefix);
  return publicParts(source).some((part) => holdsAlignedBlock(part, size));
}
