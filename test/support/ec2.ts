import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { randomUUID } from 'node:crypto';

/** Creates a group in the region's default VPC and authorizes the given ingress. */
export async function seedSecurityGroup(ec2: EC2Client, ingress: IpPermission[]): Promise<string> {
  const group = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: `test-${randomUUID()}`,
      Description: 'rampart test',
    }),
  );
  const groupId = group.GroupId!;
  for (const permission of ingress) {
    // One call per permission: moto reports only the last permission's rules otherwise.
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }),
    );
  }
  return groupId;
}

export async function ingressRules(ec2: EC2Client, groupId: string) {
  const out = await ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  return (out.SecurityGroupRules ?? [])
    .filter((r) => !r.IsEgress)
    .map((r) => ({
      id: r.SecurityGroupRuleId!,
      text: `${r.IpProtocol} ${r.FromPort}-${r.ToPort} ${r.CidrIpv4 ?? r.CidrIpv6 ?? r.ReferencedGroupInfo?.GroupId}`,
    }))
    .sort((a, b) => a.text.localeCompare(b.text));
}

/** Records the command name of every call a client sends (to prove "no API write"). */
export function recordCalls(client: EC2Client): string[] {
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: `recordCalls-${randomUUID()}` },
  );
  return calls;
}

export const OPEN_22: IpPermission = {
  IpProtocol: 'tcp',
  FromPort: 22,
  ToPort: 22,
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
};
export const OPEN_443: IpPermission = {
  IpProtocol: 'tcp',
  FromPort: 443,
  ToPort: 443,
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
};
export const PRIVATE_5432: IpPermission = {
  IpProtocol: 'tcp',
  FromPort: 5432,
  ToPort: 5432,
  IpRanges: [{ CidrIp: '10.0.0.0/8' }],
};
export const OPEN_ALL_V6: IpPermission = {
  IpProtocol: 'tcp',
  FromPort: 0,
  ToPort: 65535,
  Ipv6Ranges: [{ CidrIpv6: '::/0' }],
};
