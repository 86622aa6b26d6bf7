import {
  findUnresolved,
  stringOrRef,
  type ResolvedResource,
  type ResolvedTemplate,
  type TemplateSubject,
} from '../../cloudformation/resolved';
import {
  normalisePort,
  normaliseProtocol,
  SECURITY_GROUP,
  type SecurityGroupRule,
  type SecurityGroupSnapshot,
} from './snapshot';

function templateRef(logicalId: string) {
  return {
    partition: 'aws',
    account: '',
    region: '',
    type: SECURITY_GROUP,
    id: logicalId,
    arn: '',
  };
}

/** One CloudFormation ingress entry (inline or standalone) as a normalized rule. */
function ruleFromProperties(p: Record<string, unknown>): SecurityGroupRule {
  const source = (key: string) => {
    const v = stringOrRef(p[key]);
    return typeof v === 'string' ? v : undefined;
  };
  return {
    isEgress: false,
    protocol: normaliseProtocol(p.IpProtocol as string | number | undefined),
    fromPort: normalisePort(p.FromPort),
    toPort: normalisePort(p.ToPort),
    cidrIpv4: source('CidrIp'),
    cidrIpv6: source('CidrIpv6'),
    prefixListId: source('SourcePrefixListId'),
    referencedGroupId: source('SourceSecurityGroupId') ?? source('SourceSecurityGroupName'),
    description: source('Description'),
  };
}

// Only the fields a policy judges must be known; an unknown description changes nothing.
const JUDGED = [
  'IpProtocol',
  'FromPort',
  'ToPort',
  'CidrIp',
  'CidrIpv6',
  'SourceSecurityGroupId',
  'SourcePrefixListId',
];

function unknownIn(entries: Record<string, unknown>[], prefix: string): string | undefined {
  for (const [i, entry] of entries.entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return `${prefix ? `${prefix}[${i}]` : 'Properties'}: is not an object`;
    }
    for (const key of JUDGED) {
      const found = findUnresolved(entry[key]);
      if (found) return `${prefix ? `${prefix}[${i}].` : ''}${key}: ${found.reason}`;
    }
  }
  return undefined;
}

function subject(
  r: ResolvedResource,
  groupId: string,
  entries: Record<string, unknown>[],
  prefix: string,
): TemplateSubject<SecurityGroupSnapshot> {
  const base = { logicalId: r.logicalId, line: r.line, cfnType: r.type };
  const unknown = unknownIn(entries, prefix);
  if (unknown) return { ...base, unknown };
  return {
    ...base,
    snapshot: {
      type: SECURITY_GROUP,
      ref: templateRef(r.logicalId),
      groupId,
      rules: entries.map(ruleFromProperties),
    },
  };
}

/**
 * `AWS::EC2::SecurityGroup` (inline `SecurityGroupIngress`) and standalone
 * `AWS::EC2::SecurityGroupIngress`, each judged where it is written so a finding points at
 * the resource to fix.
 */
export function securityGroupsFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<SecurityGroupSnapshot>[] {
  const subjects: TemplateSubject<SecurityGroupSnapshot>[] = [];
  for (const r of template.resources) {
    if (r.type === 'AWS::EC2::SecurityGroup') {
      const ingress = r.properties.SecurityGroupIngress;
      const unresolvedList = findUnresolved(ingress);
      if (ingress !== undefined && !Array.isArray(ingress)) {
        subjects.push({
          logicalId: r.logicalId,
          line: r.line,
          cfnType: r.type,
          unknown: `SecurityGroupIngress: ${unresolvedList?.reason ?? 'is not a list'}`,
        });
        continue;
      }
      subjects.push(
        subject(
          r,
          r.logicalId,
          (ingress ?? []) as Record<string, unknown>[],
          'SecurityGroupIngress',
        ),
      );
    } else if (r.type === 'AWS::EC2::SecurityGroupIngress') {
      const group = stringOrRef(r.properties.GroupId ?? r.properties.GroupName);
      subjects.push(
        subject(r, typeof group === 'string' ? group : r.logicalId, [r.properties], ''),
      );
    }
  }
  return subjects;
}
