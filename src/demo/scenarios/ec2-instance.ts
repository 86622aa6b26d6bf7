import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { readInstance } from '../../resources/ec2-instance';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

const describeInstance = (ctx: DemoContext, id: string, label: string) => async () => {
  const i = await readInstance(ctx.clients, ctx, id);
  return [`${label} ${id}  HttpTokens ${i?.httpTokens ?? '(gone)'}`];
};

export const ec2InstanceScenario: DemoScenario = {
  policyId: 'ec2-imdsv2-required',
  story: 'a legacy AMI is launched with IMDSv1 allowed (notify: reported, not changed)',
  async seed(ctx) {
    const ec2 = ctx.clients.get(EC2Client, ctx);
    const launch = async (HttpTokens: 'optional' | 'required') =>
      (
        await ec2.send(
          new RunInstancesCommand({
            ImageId: 'ami-12c6146b',
            InstanceType: 't3.micro',
            MinCount: 1,
            MaxCount: 1,
            MetadataOptions: { HttpTokens },
          }),
        )
      ).Instances![0]!.InstanceId!;
    const legacy = await launch('optional');
    const modern = await launch('required');
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'ec2.amazonaws.com',
        eventName: 'RunInstances',
        requestParameters: {
          instanceType: 't3.micro',
          metadataOptions: { httpTokens: 'optional' },
        },
        responseElements: { instancesSet: { items: [{ instanceId: legacy }] } },
      }),
      describe: describeInstance(ctx, legacy, 'legacy'),
      describeTwin: describeInstance(ctx, modern, 'modern'),
    };
  },
};
