import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { describeRule, readSecurityGroupRules } from '../../resources/ec2-security-group';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

async function createGroup(
  ctx: DemoContext,
  name: string,
  ingress: IpPermission[],
): Promise<string> {
  const ec2 = ctx.clients.get(EC2Client, ctx);
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: name, Description: `Rampart demo: ${name}` }),
  );
  for (const permission of ingress) {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [permission] }),
    );
  }
  return GroupId!;
}

const cidr = (c: string) => ({ IpRanges: [{ CidrIp: c }] });

export const securityGroupScenario: DemoScenario = {
  policyId: 'sg-no-public-ingress',
  story: 'someone opens SSH, and every TCP port over IPv6, to the internet',
  async seed(ctx) {
    const web = await createGroup(ctx, 'demo-web', [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, ...cidr('0.0.0.0/0') },
      { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, ...cidr('10.0.0.0/8') },
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, ...cidr('0.0.0.0/0') },
      { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
    ]);
    const twin = await createGroup(ctx, 'demo-web-compliant', [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, ...cidr('0.0.0.0/0') },
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, ...cidr('10.0.0.0/8') },
    ]);
    const describe = (groupId: string) => async () =>
      (await readSecurityGroupRules(ctx.clients, ctx, groupId))
        .filter((r) => !r.isEgress)
        .map((r) => `${groupId}  ${describeRule(r)}`);
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'ec2.amazonaws.com',
        eventName: 'AuthorizeSecurityGroupIngress',
        requestParameters: {
          groupId: web,
          ipPermissions: {
            items: [
              {
                ipProtocol: 'tcp',
                fromPort: 22,
                toPort: 22,
                ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] },
                ipv6Ranges: {},
                groups: {},
                prefixListIds: {},
              },
              {
                ipProtocol: 'tcp',
                fromPort: 0,
                toPort: 65535,
                ipRanges: {},
                ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] },
                groups: {},
                prefixListIds: {},
              },
            ],
          },
        },
        responseElements: { _return: true },
      }),
      describe: describe(web),
      describeTwin: describe(twin),
    };
  },
};
