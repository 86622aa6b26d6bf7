import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import { isCidr, isInternetSource } from './support/internet-sources';
import {
  SECURITY_GROUP,
  describeRule,
  type SecurityGroupRule,
  type SecurityGroupSnapshot,
} from '../src/resources/ec2-security-group/snapshot';

const port = z.number().int().min(0).max(65535);
/** A port (`22`) or an inclusive range (`"8000-8080"`). */
const portSpec = z.union([
  port,
  z
    .string()
    .regex(/^\d{1,5}-\d{1,5}$/, 'expected a port number or a range like "8000-8080"')
    .refine((s) => {
      const [from, to] = s.split('-').map(Number) as [number, number];
      return from <= to && to <= 65535;
    }, 'range must be from <= to <= 65535'),
]);

export const sgNoPublicIngressParameters = z.strictObject({
  allowedPublicPorts: z
    .array(portSpec)
    .default([80, 443])
    .describe("Ports that may be open to the world (a rule's whole range must lie within them)."),
  extraPublicCidrs: z
    .array(z.string().refine(isCidr, 'expected a CIDR such as 198.51.100.0/24 or 2001:db8::/32'))
    .default([])
    .describe(
      'CIDRs that also count as the internet: any source overlapping one of them violates.',
    ),
  publicPrefixIpv4: z
    .number()
    .int()
    .min(0)
    .max(32)
    .default(8)
    .describe(
      'An IPv4 source is the internet when it contains a block of public addresses at least this wide (/8 by default: 0.0.0.0/1 is public, a partner /24 is not).',
    ),
  publicPrefixIpv6: z
    .number()
    .int()
    .min(0)
    .max(128)
    .default(16)
    .describe(
      'An IPv6 source is the internet when it contains a block of global unicast addresses at least this wide.',
    ),
  allowIcmp: z
    .boolean()
    .default(false)
    .describe('ICMP from the internet violates unless this is true.'),
});
export type SgNoPublicIngressParameters = z.output<typeof sgNoPublicIngressParameters>;

const ALL_PORTS: [number, number] = [0, 65535];

function toInterval(spec: number | string): [number, number] {
  if (typeof spec === 'number') return [spec, spec];
  const [from, to] = spec.split('-').map(Number) as [number, number];
  return [from, to];
}

/** True when every port of [from, to] lies within the union of the allowed intervals. */
function isCovered([from, to]: [number, number], allowed: [number, number][]): boolean {
  let next = from;
  for (const [a, b] of [...allowed].sort((x, y) => x[0] - y[0])) {
    if (a > next) break;
    if (b >= next) next = b + 1;
    if (next > to) return true;
  }
  return next > to;
}

/** Prefix lists and referenced groups are not CIDRs: what they allow is judged elsewhere. */
function isPublicSource(rule: SecurityGroupRule, params: SgNoPublicIngressParameters): boolean {
  const cidr = rule.cidrIpv4 ?? rule.cidrIpv6;
  return (
    cidr !== undefined &&
    isInternetSource(cidr, {
      ipv4Prefix: params.publicPrefixIpv4,
      ipv6Prefix: params.publicPrefixIpv6,
      publicCidrs: params.extraPublicCidrs,
    })
  );
}

/** The ports a rule opens: protocol -1 and rules without ports open every port. */
function portRange(rule: SecurityGroupRule): [number, number] {
  if (rule.protocol === '-1' || rule.fromPort === undefined) return ALL_PORTS;
  return [rule.fromPort, rule.toPort ?? rule.fromPort];
}

export function isOffendingRule(
  rule: SecurityGroupRule,
  params: SgNoPublicIngressParameters,
): boolean {
  if (rule.isEgress) return false;
  if (!isPublicSource(rule, params)) return false;
  if (rule.protocol === 'icmp' || rule.protocol === 'icmpv6') return !params.allowIcmp;
  return !isCovered(portRange(rule), params.allowedPublicPorts.map(toInterval));
}

export const sgNoPublicIngress = definePolicy<SecurityGroupSnapshot, SgNoPublicIngressParameters>({
  id: 'sg-no-public-ingress',
  title: 'Security groups allow no ingress from the internet except on allowed ports',
  description:
    'An ingress rule from the internet violates unless its whole port range lies within the allowed public ports. A source is the internet when it contains a block of public addresses at least /8 wide (IPv4; /16 for IPv6) — 0.0.0.0/0, but also 0.0.0.0/1 or 11.0.0.0/8 — or overlaps a CIDR configured as public; private ranges and narrow partner ranges are not.',
  rationale:
    'A port open to the whole internet (SSH, RDP, databases) is found by scanners within minutes; only ports meant to be public, such as HTTP and HTTPS on a load balancer, should be.',
  severity: 'high',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'EC2.18' },
    { framework: 'aws-fsbp', id: 'EC2.19' },
    { framework: 'cis-aws-foundations-3.0', id: '5.2' },
    { framework: 'cis-aws-foundations-3.0', id: '5.3' },
    { framework: 'aws-well-architected', id: 'SEC05-BP02' },
  ],
  resourceType: SECURITY_GROUP,
  triggers: ['AuthorizeSecurityGroupIngress', 'ModifySecurityGroupRules', 'CreateSecurityGroup'],
  defaultMode: 'enforce',
  parameters: sgNoPublicIngressParameters,
  remediatorId: 'revoke-ingress',
  evaluate(snapshot, params) {
    const offending = snapshot.rules.filter((rule) => isOffendingRule(rule, params));
    if (offending.length === 0) return { compliant: true };
    const descriptions = offending.map(describeRule);
    return {
      compliant: false,
      finding: {
        message: `Security group ${snapshot.groupId} is open to the internet: ${descriptions.join(', ')}; allowed public ports: ${params.allowedPublicPorts.join(', ') || 'none'}.`,
        elements: offending.map((rule) => ({
          kind: 'security-group-rule',
          ...(rule.ruleId ? { id: rule.ruleId } : {}),
          description: describeRule(rule),
        })),
      },
    };
  },
});
