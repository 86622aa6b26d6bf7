import {
  DescribeSecurityGroupsCommand,
  EC2Client,
  paginateDescribeSecurityGroupRules,
  type SecurityGroupRule as ApiRule,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../aws/clients';
import type { ResourceLocator } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { pathValue } from '../../events/cloudtrail';
import { MalformedEventError } from '../../events/errors';
import { tagMap } from '../shared';
import { securityGroupsFromTemplate } from './cloudformation';
import {
  SECURITY_GROUP,
  normalisePort,
  normaliseProtocol,
  type SecurityGroupRule,
  type SecurityGroupSnapshot,
} from './snapshot';

export * from './snapshot';
export { securityGroupRef } from './ref';
import { securityGroupRef } from './ref';
import { securityGroupFromConfigItem } from './config-item';
import { securityGroupEnumerator } from './enumerate';

function stringAt(root: unknown, path: string[]): string | undefined {
  const v = pathValue(root, path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Most SG calls name the group by id; the legacy (EC2-Classic/default VPC) form by name. */
const byGroupIdOrName: CloudTrailLocator = (record, where) => {
  const id = stringAt(record.requestParameters, ['groupId']);
  const name = stringAt(record.requestParameters, ['groupName']);
  if (!id && !name) {
    throw new MalformedEventError(
      'detail.requestParameters.groupId',
      'is missing (and so is groupName)',
      record.eventID,
    );
  }
  return [{ type: SECURITY_GROUP, ...where, ...(id ? { id } : { name }) }];
};

export function ruleFromApi(rule: ApiRule): SecurityGroupRule {
  return {
    ruleId: rule.SecurityGroupRuleId,
    isEgress: rule.IsEgress === true,
    protocol: normaliseProtocol(rule.IpProtocol),
    fromPort: normalisePort(rule.FromPort),
    toPort: normalisePort(rule.ToPort),
    cidrIpv4: rule.CidrIpv4,
    cidrIpv6: rule.CidrIpv6,
    prefixListId: rule.PrefixListId,
    referencedGroupId: rule.ReferencedGroupInfo?.GroupId,
    description: rule.Description,
  };
}

/** Reads every rule of a group (paginated). An unknown group simply has no rules. */
export async function readSecurityGroupRules(
  clients: AwsClients,
  scope: { region: string; account: string },
  groupId: string,
): Promise<SecurityGroupRule[]> {
  const ec2 = clients.get(EC2Client, scope);
  const rules: SecurityGroupRule[] = [];
  const pages = paginateDescribeSecurityGroupRules(
    { client: ec2 },
    { Filters: [{ Name: 'group-id', Values: [groupId] }], MaxResults: 1000 },
  );
  for await (const page of pages) {
    for (const rule of page.SecurityGroupRules ?? []) rules.push(ruleFromApi(rule));
  }
  return rules;
}

async function readSecurityGroupTags(
  clients: AwsClients,
  where: { account: string; region: string },
  groupId: string,
): Promise<Record<string, string>> {
  const out = await clients
    .get(EC2Client, where)
    .send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  return tagMap(out.SecurityGroups?.[0]?.Tags);
}

async function resolveGroupId(
  clients: AwsClients,
  locator: ResourceLocator,
): Promise<string | undefined> {
  if (locator.id) return locator.id;
  const ec2 = clients.get(EC2Client, locator);
  const out = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [{ Name: 'group-name', Values: [locator.name!] }],
    }),
  );
  return out.SecurityGroups?.[0]?.GroupId;
}

export const securityGroupType = defineResourceType<SecurityGroupSnapshot>({
  type: SECURITY_GROUP,
  eventSource: 'ec2.amazonaws.com',
  iam: {
    service: 'ec2',
    arns: (p, a) => [`arn:${p}:ec2:*:${a}:security-group/*`],
    reason:
      'Security-group writes: any group of this account, found at run time by event or sweep.',
  },
  securityHubType: 'AwsEc2SecurityGroup',
  configResourceTypes: ['AWS::EC2::SecurityGroup'],
  cloudFormationTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'],
  cloudTrail: {
    AuthorizeSecurityGroupIngress: byGroupIdOrName,
    CreateSecurityGroup: (record, where) => {
      const id = stringAt(record.responseElements, ['groupId']);
      if (!id) {
        throw new MalformedEventError(
          'detail.responseElements.groupId',
          'is missing',
          record.eventID,
        );
      }
      return [{ type: SECURITY_GROUP, ...where, id }];
    },
    ModifySecurityGroupRules: (record, where) => {
      // The request nests PascalCase members under the action's request name.
      const id =
        stringAt(record.requestParameters, ['ModifySecurityGroupRulesRequest', 'GroupId']) ??
        stringAt(record.requestParameters, ['groupId']);
      if (!id) {
        throw new MalformedEventError(
          'detail.requestParameters.ModifySecurityGroupRulesRequest.GroupId',
          'is missing',
          record.eventID,
        );
      }
      return [{ type: SECURITY_GROUP, ...where, id }];
    },
  },
  ignoredEvents: {
    UpdateSecurityGroupRuleDescriptionsIngress:
      'changes only rule descriptions, not who can reach the group',
    UpdateSecurityGroupRuleDescriptionsEgress: 'changes only rule descriptions',
    RevokeSecurityGroupIngress: 'removing access cannot open a group',
  },
  readActions: ['ec2:DescribeSecurityGroupRules', 'ec2:DescribeSecurityGroups'],
  fromTemplate: securityGroupsFromTemplate,
  async collect(clients, locator) {
    const groupId = await resolveGroupId(clients, locator);
    if (!groupId) return undefined;
    let rules: SecurityGroupRule[];
    try {
      rules = await readSecurityGroupRules(clients, locator, groupId);
      // The rule listing filters by group id, so a group that does not exist reads as one
      // with no rules: only then is it worth one more call to tell the two apart.
      if (rules.length === 0) await readSecurityGroupTags(clients, locator, groupId);
    } catch (error) {
      // Deleted since the event: nothing left to judge (and nothing to retry).
      if ((error as { name?: string }).name === 'InvalidGroup.NotFound') return undefined;
      throw error;
    }
    return {
      type: SECURITY_GROUP,
      ref: securityGroupRef(locator.account, locator.region, groupId),
      groupId,
      rules,
    };
  },
  // Only when an exception could match on a tag: the hot path reads the rules alone.
  readTags: (clients, snapshot) => readSecurityGroupTags(clients, snapshot.ref, snapshot.groupId),
  fromConfigItem: securityGroupFromConfigItem,
  enumerate: securityGroupEnumerator,
});
