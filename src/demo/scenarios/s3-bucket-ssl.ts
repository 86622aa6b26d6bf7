import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type CreateBucketCommandInput,
} from '@aws-sdk/client-s3';
import { readBucket } from '../../resources/s3-bucket';
import { parseResourcePolicy } from '../../resources/resource-policy';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

const describeBucket = (ctx: DemoContext, name: string) => async () => {
  const bucket = await readBucket(ctx.clients, ctx, name);
  if (!bucket) return [`${name}  (gone)`];
  const statements = bucket.bucketPolicy ? parseResourcePolicy(bucket.bucketPolicy, name) : [];
  return [
    `${name}  bucket policy: ${statements.map((s) => `${s.effect} ${s.sid ?? '(no Sid)'}`).join(', ') || 'none'}`,
  ];
};

const readerPolicy = (bucket: string, account: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReportsReader',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
    ],
  });

export const s3BucketSslScenario: DemoScenario = {
  policyId: 's3-bucket-ssl-only',
  story: 'a new bucket policy grants a reader but forgets to refuse plain HTTP',
  async seed(ctx) {
    const s3 = ctx.clients.get(S3Client, ctx);
    const create = async (Bucket: string) => {
      const input: CreateBucketCommandInput = { Bucket };
      if (ctx.region !== 'us-east-1') {
        input.CreateBucketConfiguration = { LocationConstraint: ctx.region as never };
      }
      await s3.send(new CreateBucketCommand(input));
      await s3.send(
        new PutPublicAccessBlockCommand({
          Bucket,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
      );
    };
    await create('demo-reports');
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'demo-reports',
        Policy: readerPolicy('demo-reports', ctx.account),
      }),
    );
    await create('demo-ssl-only');
    const twin = JSON.parse(readerPolicy('demo-ssl-only', ctx.account)) as { Statement: unknown[] };
    twin.Statement.push({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::demo-ssl-only', 'arn:aws:s3:::demo-ssl-only/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: 'demo-ssl-only', Policy: JSON.stringify(twin) }),
    );
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 's3.amazonaws.com',
        eventName: 'PutBucketPolicy',
        requestParameters: {
          bucketName: 'demo-reports',
          bucketPolicy: JSON.parse(readerPolicy('demo-reports', ctx.account)) as unknown,
          policy: [''],
          Host: 'demo-reports.s3.amazonaws.com',
        },
        responseElements: null,
      }),
      describe: describeBucket(ctx, 'demo-reports'),
      describeTwin: describeBucket(ctx, 'demo-ssl-only'),
    };
  },
};
