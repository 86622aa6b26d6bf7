import type { Snapshot } from '../../engine/definitions';

export const SECURITY_GROUP = 'AWS::EC2::SecurityGroup' as const;

/**
 * One rule with one source, as `DescribeSecurityGroupRules` reports it. Inputs that group
 * several sources in one permission (CloudTrail, Config items, templates) are split.
 */
export interface SecurityGroupRule {
  /** `sgr-...`; absent for rules read from a template or an event request. */
  ruleId?: string;
  isEgress: boolean;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all) or another IP protocol number. */
  protocol: string;
  /** Undefined (or -1 in the API) means all ports. For ICMP these are type/code. */
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroupId?: string;
  description?: string;
}

export interface SecurityGroupSnapshot extends Snapshot {
  type: typeof SECURITY_GROUP;
  groupId: string;
  rules: SecurityGroupRule[];
  /** The group's tags, so tag-scoped exceptions can match it; absent from templates. */
  tags?: Record<string, string>;
}

// A Map, not an object literal: an input such as "__proto__" must not find Object.prototype.
const PROTOCOL_NAMES: ReadonlyMap<string, string> = new Map([
  ['6', 'tcp'],
  ['17', 'udp'],
  ['1', 'icmp'],
  ['58', 'icmpv6'],
]);

/**
 * The API accepts names or numbers and any case; policies see one spelling. Anything else
 * (an object from a template or event) reads as all traffic: the conservative reading.
 */
export function normaliseProtocol(raw: unknown): string {
  if ((typeof raw !== 'string' && typeof raw !== 'number') || raw === '') return '-1';
  const s = String(raw).toLowerCase();
  if (s === 'all') return '-1';
  return PROTOCOL_NAMES.get(s) ?? s;
}

/** -1 and absent ports both mean "all"; strings from CloudTrail become numbers. */
export function normalisePort(raw: unknown): number | undefined {
  // Only numbers and numeric strings: Number(object) runs the object's own toString.
  if (typeof raw !== 'number' && (typeof raw !== 'string' || raw === '')) return undefined;
  const n = typeof raw === 'number' ? raw : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function describeRule(rule: SecurityGroupRule): string {
  const proto = rule.protocol === '-1' ? 'all traffic' : rule.protocol;
  const ports =
    rule.protocol === '-1'
      ? ''
      : rule.fromPort === undefined
        ? ' all ports'
        : rule.fromPort === rule.toPort
          ? ` ${rule.fromPort}`
          : ` ${rule.fromPort}-${rule.toPort}`;
  const source =
    rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.prefixListId ?? rule.referencedGroupId ?? '(no source)';
  return `${proto}${ports} ${rule.isEgress ? 'to' : 'from'} ${source}`;
}
