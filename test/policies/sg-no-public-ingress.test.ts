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
  return verdict.compliant !== false
    ? []
    : verdict.finding.elements.map((e) => e.id ?? e.description);
}

describe('sg-no-public-ingress', () => {
  it('states its id, metadata and defaults', () => {
    expect(sgNoPublicIngress.id).toBe('sg-no-public-ingress');
    expect(sgNoPublicIngress.defaultMode).toBe('enforce');
    expect(sgNoPublicIngress.remediatorId).toBe('revoke-ingress');
    expect(DEFAULTS).toEqual({
      allowedPublicPorts: [80, 443],
      extraPublicCidrs: [],
      publicPrefixIpv4: 8,
      publicPrefixIpv6: 16,
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
    expect(verdict.compliant === false && verdict.finding.message).toContain(
      'tcp 22 from 0.0.0.0/0',
    );
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

  describe('sources by containment, not by spelling', () => {
    const ssh = (source: Partial<SecurityGroupRule>, id: string) => tcp(22, 22, source, id);
    it.each([
      ['0.0.0.0/1 + 128.0.0.0/1 (the world in two halves)', ['0.0.0.0/1', '128.0.0.0/1'], 2],
      // 8000::/1 holds no global unicast address; ::/1 holds all of 2000::/3.
      ['::/1 + 8000::/1 (the IPv6 world in two halves)', ['::/1', '8000::/1'], 1],
      ['a public /8', ['11.0.0.0/8'], 1],
      ['a public /7 written with host bits', ['12.34.56.78/7'], 1],
      ['0.0.0.0/0 with surrounding spaces', [' 0.0.0.0/0 '], 1],
      ['the IPv6 global unicast space', ['2000::/3'], 1],
      ['an uncompressed ::/0', ['0:0:0:0:0:0:0:0/0'], 1],
    ])('%s violates', (_name, cidrs, expected) => {
      const rules = cidrs.map((c, i) =>
        ssh(c.includes(':') ? { cidrIpv6: c } : { cidrIpv4: c }, `sgr-${i}`),
      );
      expect(offendingIds(snapshot(...rules))).toHaveLength(expected);
    });

    it.each([
      ['a partner /24', '203.0.113.0/24'],
      ['a public /9 (narrower than the /8 threshold)', '11.0.0.0/9'],
      ['private space', '10.0.0.0/8'],
      ['shared address space', '100.64.0.0/10'],
      ['all RFC 1918 172 space', '172.16.0.0/12'],
      ['multicast and reserved', '224.0.0.0/3'],
      ['IPv6 unique local', 'fc00::/7'],
      ['IPv6 documentation', '2001:db8::/32'],
      ['a single host', '198.51.100.7/32'],
    ])('%s does not', (_name, cidr) => {
      const source = cidr.includes(':') ? { cidrIpv6: cidr } : { cidrIpv4: cidr };
      expect(offendingIds(snapshot(ssh(source, 'sgr-1')))).toEqual([]);
    });

    it('a source overlapping a configured public CIDR violates, narrower or wider', () => {
      const params = sgNoPublicIngressParameters.parse({ extraPublicCidrs: ['198.51.100.0/24'] });
      const ids = offendingIds(
        snapshot(
          ssh({ cidrIpv4: '198.51.100.128/25' }, 'narrower'),
          ssh({ cidrIpv4: '198.51.0.0/16' }, 'wider'),
          ssh({ cidrIpv4: '198.51.101.0/24' }, 'next-door'),
        ),
        params,
      );
      expect(ids).toEqual(['narrower', 'wider']);
    });

    it('the threshold is a parameter', () => {
      const strict = sgNoPublicIngressParameters.parse({ publicPrefixIpv4: 24 });
      expect(offendingIds(snapshot(ssh({ cidrIpv4: '11.0.0.0/24' }, 'x')), strict)).toEqual(['x']);
      expect(offendingIds(snapshot(ssh({ cidrIpv4: '11.0.0.0/25' }, 'x')), strict)).toEqual([]);
    });

    it('a source that is no CIDR is an error, never compliant', () => {
      expect(() =>
        sgNoPublicIngress.evaluate(snapshot(ssh({ cidrIpv4: 'not-a-cidr' }, 'x')), DEFAULTS),
      ).toThrow(/"not-a-cidr" is not a CIDR/);
    });
  });

  it('describes a rule without an id (from a template or a request) by what it opens', () => {
    const verdict = sgNoPublicIngress.evaluate(
      snapshot({ isEgress: false, protocol: 'tcp', fromPort: 3389, toPort: 3389, ...WORLD }),
      DEFAULTS,
    );
    expect(verdict.compliant).toBe(false);
    if (verdict.compliant === false)
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
    expect(() => sgNoPublicIngressParameters.parse({ extraPublicCidrs: ['not-a-cidr'] })).toThrow(
      /extraPublicCidrs[\s\S]*expected a CIDR/,
    );
    expect(() => sgNoPublicIngressParameters.parse({ extraPublicCidrs: ['10.0.0.0/33'] })).toThrow(
      /expected a CIDR/,
    );
    expect(() => sgNoPublicIngressParameters.parse({ publicPrefixIpv4: 33 })).toThrow(
      /publicPrefixIpv4/,
    );
  });
});
