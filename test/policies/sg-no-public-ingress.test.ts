import { describe, expect, it } from 'vitest';
import {
  sgNoPublicIngress,
  sgNoPublicIngressParameters,
} from '../../policies/sg-no-public-ingress';
import {
  securityGroupRef,
  type SecurityGroupRule,
  type SecurityGroupSnapshot,
} from '../../src/resources/ec2-security-group';

const DEFAULTS = sgNoPublicIngressParameters.parse({});

function snapshot(...rules: SecurityGroupRule[]): SecurityGroupSnapshot {
  return {
    type: 'AWS::EC2::SecurityGroup',
    ref: securityGroupRef('123456789012', 'us-east-1', 'sg-1'),
    groupId: 'sg-1',
    rules,
  };
}
const rule = (r: Partial<SecurityGroupRule>, id = 'sgr-1'): SecurityGroupRule => ({
  ruleId: id,
  isEgress: false,
  protocol: 'tcp',
  ...r,
});
const tcp = (from: number, to: number, source: Partial<SecurityGroupRule>, id?: string) =>
  rule({ fromPort: from, toPort: to, ...source }, id);
const WORLD = { cidrIpv4: '0.0.0.0/0' };
const WORLD6 = { cidrIpv6: '::/0' };

function offendingIds(s: SecurityGroupSnapshot, params = DEFAULTS): string[] {
  const verdict = sgNoPublicIngress.evaluate(s, params);
  return verdict.compliant ? [] : verdict.finding.elements.map((e) => e.id ?? e.description);
}

describe('sg-no-public-ingress', () => {
  it('states its id, metadata and defaults', () => {
    expect(sgNoPublicIngress.id).toBe('sg-no-public-ingress');
    expect(sgNoPublicIngress.defaultMode).toBe('enforce');
    expect(sgNoPublicIngress.remediatorId).toBe('revoke-ingress');
    expect(DEFAULTS).toEqual({
      allowedPublicPorts: [80, 443],
      extraPublicCidrs: [],
      allowIcmp: false,
    });
  });

  describe('compliant', () => {
    it.each([
      ['443 from the world (allowed port)', tcp(443, 443, WORLD)],
      ['80 from ::/0 (allowed port)', tcp(80, 80, WORLD6)],
      [
        'udp 443 from the world (ports are allowed whatever the protocol)',
        rule({ protocol: 'udp', fromPort: 443, toPort: 443, ...WORLD }),
      ],
      ['22 from a private CIDR', tcp(22, 22, { cidrIpv4: '10.0.0.0/8' })],
      [
        'all traffic from another security group',
        rule({ protocol: '-1', referencedGroupId: 'sg-2' }),
      ],
      ['all traffic from a prefix list', rule({ protocol: '-1', prefixListId: 'pl-123' })],
      ['egress to the world', rule({ protocol: '-1', isEgress: true, ...WORLD })],
      ['no rules at all', undefined],
    ])('%s', (_name, r) => {
      expect(sgNoPublicIngress.evaluate(snapshot(...(r ? [r] : [])), DEFAULTS)).toEqual({
        compliant: true,
      });
    });
  });

  describe('violating', () => {
    it.each([
      ['22 from 0.0.0.0/0', tcp(22, 22, WORLD)],
      ['a range 20-30 includes 22', tcp(20, 30, WORLD)],
      ['80-443 covers ports other than 80 and 443', tcp(80, 443, WORLD)],
      ['0-65535 from ::/0', tcp(0, 65535, WORLD6)],
      ['protocol -1 (all ports) from the world', rule({ protocol: '-1', ...WORLD })],
      [
        'ICMP from the world, not allowed by default',
        rule({ protocol: 'icmp', fromPort: 8, toPort: 0, ...WORLD }),
      ],
      ['a protocol without ports (ESP, 50) from the world', rule({ protocol: '50', ...WORLD })],
    ])('%s', (_name, r) => {
      expect(offendingIds(snapshot(r))).toEqual(['sgr-1']);
    });
  });

  it('lists exactly the offending rules among compliant ones', () => {
    const s = snapshot(
      tcp(22, 22, WORLD, 'sgr-ssh'),
      tcp(443, 443, WORLD, 'sgr-https'),
      tcp(5432, 5432, { cidrIpv4: '10.0.0.0/8' }, 'sgr-pg'),
      tcp(0, 65535, WORLD6, 'sgr-all6'),
    );
    expect(offendingIds(s)).toEqual(['sgr-ssh', 'sgr-all6']);
    const verdict = sgNoPublicIngress.evaluate(s, DEFAULTS);
    expect(!verdict.compliant && verdict.finding.message).toContain('tcp 22 from 0.0.0.0/0');
  });

  it('honours its parameters', () => {
    const params = sgNoPublicIngressParameters.parse({
      allowedPublicPorts: [22, '8000-8080'],
      extraPublicCidrs: ['198.51.100.0/24'],
      allowIcmp: true,
    });
    expect(offendingIds(snapshot(tcp(22, 22, WORLD)), params)).toEqual([]);
    expect(offendingIds(snapshot(tcp(8000, 8080, WORLD)), params)).toEqual([]);
    expect(offendingIds(snapshot(tcp(8000, 8081, WORLD)), params)).toEqual(['sgr-1']);
    expect(offendingIds(snapshot(tcp(443, 443, WORLD)), params)).toEqual(['sgr-1']); // no longer allowed
    expect(
      offendingIds(snapshot(tcp(3306, 3306, { cidrIpv4: '198.51.100.0/24' })), params),
    ).toEqual(['sgr-1']);
    expect(
      offendingIds(snapshot(rule({ protocol: 'icmp', fromPort: -1, ...WORLD })), params),
    ).toEqual([]);
    expect(offendingIds(snapshot(rule({ protocol: 'icmpv6', ...WORLD6 })), params)).toEqual([]);
  });

  it('describes a rule without an id (from a template or a request) by what it opens', () => {
    const verdict = sgNoPublicIngress.evaluate(
      snapshot({ isEgress: false, protocol: 'tcp', fromPort: 3389, toPort: 3389, ...WORLD }),
      DEFAULTS,
    );
    expect(verdict.compliant).toBe(false);
    if (!verdict.compliant)
      expect(verdict.finding.elements).toEqual([
        { kind: 'security-group-rule', description: 'tcp 3389 from 0.0.0.0/0' },
      ]);
  });

  it('rejects parameters it does not know or cannot use, naming them', () => {
    expect(() => sgNoPublicIngressParameters.parse({ allowedPorts: [22] })).toThrow(/allowedPorts/);
    expect(() => sgNoPublicIngressParameters.parse({ allowedPublicPorts: [70000] })).toThrow();
    expect(() => sgNoPublicIngressParameters.parse({ allowedPublicPorts: ['9000-8000'] })).toThrow(
      /range/,
    );
  });
});
