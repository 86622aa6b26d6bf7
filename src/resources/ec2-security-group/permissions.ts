import { configString, configValue } from '../../events/config-item';
import { normalisePort, normaliseProtocol, type SecurityGroupRule } from './snapshot';

export type Obj = Record<string, unknown>;

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * One permission (DescribeSecurityGroups' `IpPermissions`, a Config item's `ipPermissions`:
 * the same shape, keys in either case) groups several sources; a rule has one. CI 1.2+ lists IPv4 sources
 * twice (`ipv4Ranges[{cidrIp}]` and legacy `ipRanges["cidr"]`): they are merged, not doubled.
 */
export function rulesOfPermission(permission: Obj, isEgress: boolean): SecurityGroupRule[] {
  const base = {
    isEgress,
    protocol: normaliseProtocol(configValue(permission, 'ipProtocol') as string | undefined),
    fromPort: normalisePort(configValue(permission, 'fromPort')),
    toPort: normalisePort(configValue(permission, 'toPort')),
  };
  const v4 = new Set<string>();
  for (const r of list(configValue(permission, 'ipv4Ranges'))) {
    const cidr = typeof r === 'string' ? r : configString(r as Obj, 'cidrIp');
    if (cidr) v4.add(cidr);
  }
  for (const r of list(configValue(permission, 'ipRanges'))) {
    const cidr = typeof r === 'string' ? r : configString(r as Obj, 'cidrIp');
    if (cidr) v4.add(cidr);
  }
  const rules: SecurityGroupRule[] = [...v4].map((cidrIpv4) => ({ ...base, cidrIpv4 }));
  for (const r of list(configValue(permission, 'ipv6Ranges'))) {
    const cidr = typeof r === 'string' ? r : configString(r as Obj, 'cidrIpv6');
    if (cidr) rules.push({ ...base, cidrIpv6: cidr });
  }
  for (const r of list(configValue(permission, 'prefixListIds'))) {
    const id = typeof r === 'string' ? r : configString(r as Obj, 'prefixListId');
    if (id) rules.push({ ...base, prefixListId: id });
  }
  for (const r of list(configValue(permission, 'userIdGroupPairs'))) {
    const id = configString(r as Obj, 'groupId');
    if (id) rules.push({ ...base, referencedGroupId: id });
  }
  return rules;
}
