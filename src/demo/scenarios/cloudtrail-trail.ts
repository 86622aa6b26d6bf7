import {
  CloudTrailClient,
  CreateTrailCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client, type CreateBucketCommandInput } from '@aws-sdk/client-s3';
import { readTrail } from '../../resources/cloudtrail-trail';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

const describeTrail = (ctx: DemoContext, name: string) => async () => {
  const t = await readTrail(ctx.clients, ctx, name);
  if (!t) return [`${name}  (gone)`];
  return [
    `${name}  ${t.isLogging ? 'logging' : 'logging STOPPED'}, log file validation ${t.logFileValidation ? 'on' : 'off'}`,
  ];
};

export const cloudTrailScenario: DemoScenario = {
  policyId: 'cloudtrail-logging-on',
  story: "an intruder with a leaked access key stops the account's audit trail",
  async seed(ctx) {
    const bucket: CreateBucketCommandInput = { Bucket: `demo-audit-logs-${ctx.account}` };
    if (ctx.region !== 'us-east-1') {
      bucket.CreateBucketConfiguration = { LocationConstraint: ctx.region as never };
    }
    await ctx.clients.get(S3Client, ctx).send(new CreateBucketCommand(bucket));
    const ct = ctx.clients.get(CloudTrailClient, ctx);
    for (const name of ['demo-org-audit', 'demo-security-audit']) {
      await ct.send(
        new CreateTrailCommand({
          Name: name,
          S3BucketName: bucket.Bucket,
          IsMultiRegionTrail: true,
          EnableLogFileValidation: true,
        }),
      );
      await ct.send(new StartLoggingCommand({ Name: name }));
    }
    await ct.send(new StopLoggingCommand({ Name: 'demo-org-audit' }));
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'cloudtrail.amazonaws.com',
        eventName: 'StopLogging',
        requestParameters: {
          name: `arn:aws:cloudtrail:${ctx.region}:${ctx.account}:trail/demo-org-audit`,
        },
        responseElements: null,
      }),
      describe: describeTrail(ctx, 'demo-org-audit'),
      describeTwin: describeTrail(ctx, 'demo-security-audit'),
    };
  },
};
