import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type CreateBucketCommandInput,
} from '@aws-sdk/client-s3';
import { PUBLIC_ACCESS_BLOCK_SETTINGS, readBucket } from '../../resources/s3-bucket';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

const describeBucket = (ctx: DemoContext, name: string) => async () => {
  const bucket = await readBucket(ctx.clients, ctx, name);
  if (!bucket) return [`${name}  (gone)`];
  const on = PUBLIC_ACCESS_BLOCK_SETTINGS.filter((s) => bucket.publicAccessBlock[s]);
  return [
    `${name}  Block Public Access: ${on.length === 4 ? 'all four on' : `${on.join(', ') || 'none'} on`}`,
  ];
};

export const s3BucketScenario: DemoScenario = {
  policyId: 's3-bucket-public-access-blocked',
  story: "someone removes a bucket's Block Public Access to share a file",
  async seed(ctx) {
    const s3 = ctx.clients.get(S3Client, ctx);
    const create = (Bucket: string) => {
      const input: CreateBucketCommandInput = { Bucket };
      // us-east-1 takes no location constraint; every other region needs its own.
      if (ctx.region !== 'us-east-1') {
        input.CreateBucketConfiguration = { LocationConstraint: ctx.region as never };
      }
      return s3.send(new CreateBucketCommand(input));
    };
    await create('demo-exports');
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'demo-exports' }));
    await create('demo-archive');
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'demo-archive',
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 's3.amazonaws.com',
        eventName: 'DeleteBucketPublicAccessBlock',
        requestParameters: { bucketName: 'demo-exports', publicAccessBlock: '' },
        responseElements: null,
      }),
      describe: describeBucket(ctx, 'demo-exports'),
      describeTwin: describeBucket(ctx, 'demo-archive'),
    };
  },
};
