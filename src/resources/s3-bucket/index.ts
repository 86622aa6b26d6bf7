import { GetBucketPolicyCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../aws/clients';
import { partitionOf, type ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { isAwsError, requiredString } from '../shared';
import { s3BucketsFromTemplate } from './cloudformation';
import { s3BucketEnumerator } from './enumerate';
import { publicAccessBlockOf, S3_BUCKET, type S3BucketSnapshot } from './snapshot';

export * from './snapshot';

/** Bucket ARNs name neither region nor account; the ref keeps both for scoping and clients. */
export function s3BucketRef(account: string, region: string, bucketName: string): ResourceRef {
  const partition = partitionOf(region);
  return {
    partition,
    account,
    region,
    type: S3_BUCKET,
    id: bucketName,
    arn: `arn:${partition}:s3:::${bucketName}`,
  };
}

/** Bucket-level S3 calls name the bucket in requestParameters.bucketName. */
const byBucketName: CloudTrailLocator = (record, where) => [
  { type: S3_BUCKET, ...where, id: requiredString(record, ['request.bucketName']) },
];

const GONE = Symbol('no such bucket');

/** The bucket policy's text; undefined when the bucket has none. */
async function readBucketPolicy(
  clients: AwsClients,
  scope: { account: string; region: string },
  bucketName: string,
): Promise<string | undefined | typeof GONE> {
  try {
    const out = await clients
      .get(S3Client, scope)
      .send(new GetBucketPolicyCommand({ Bucket: bucketName, ExpectedBucketOwner: scope.account }));
    return out.Policy;
  } catch (error) {
    if (isAwsError(error, 'NoSuchBucket')) return GONE;
    if (isAwsError(error, 'NoSuchBucketPolicy')) return undefined;
    throw error;
  }
}

async function readPublicAccessBlock(
  clients: AwsClients,
  scope: { account: string; region: string },
  bucketName: string,
): Promise<Parameters<typeof publicAccessBlockOf>[0] | typeof GONE> {
  try {
    const out = await clients
      .get(S3Client, scope)
      // Bucket names are global: S3 refuses the call unless the bucket is this account's.
      .send(
        new GetPublicAccessBlockCommand({ Bucket: bucketName, ExpectedBucketOwner: scope.account }),
      );
    return out.PublicAccessBlockConfiguration;
  } catch (error) {
    if (isAwsError(error, 'NoSuchBucket')) return GONE;
    // No configuration at all: every setting is off.
    if (isAwsError(error, 'NoSuchPublicAccessBlockConfiguration')) return undefined;
    throw error;
  }
}

/** The bucket's Block Public Access settings and policy; undefined when it does not exist. */
export async function readBucket(
  clients: AwsClients,
  scope: { account: string; region: string },
  bucketName: string,
): Promise<S3BucketSnapshot | undefined> {
  const [config, policy] = await Promise.all([
    readPublicAccessBlock(clients, scope, bucketName),
    readBucketPolicy(clients, scope, bucketName),
  ]);
  if (config === GONE || policy === GONE) return undefined;
  return {
    type: S3_BUCKET,
    ref: s3BucketRef(scope.account, scope.region, bucketName),
    bucketName,
    publicAccessBlock: publicAccessBlockOf(config),
    ...(policy !== undefined ? { bucketPolicy: policy } : {}),
  };
}

export const s3BucketType = defineResourceType<S3BucketSnapshot>({
  type: S3_BUCKET,
  eventSource: 's3.amazonaws.com',
  iam: {
    service: 's3',
    arns: (p) => [`arn:${p}:s3:::*`],
    // Bucket ARNs carry no account: the grant is held to this account's buckets by condition.
    accountConditionKey: 's3:ResourceAccount',
    reason:
      'Bucket writes: any bucket of this account (s3:ResourceAccount), found at run time; bucket ARNs name no account.',
  },
  securityHubType: 'AwsS3Bucket',
  configResourceTypes: ['AWS::S3::Bucket'],
  cloudFormationTypes: ['AWS::S3::Bucket'],
  cloudTrail: {
    CreateBucket: byBucketName,
    PutBucketPublicAccessBlock: byBucketName,
    DeleteBucketPublicAccessBlock: byBucketName,
    PutBucketPolicy: byBucketName,
    DeleteBucketPolicy: byBucketName,
  },
  readActions: ['s3:GetBucketPublicAccessBlock', 's3:GetBucketPolicy'],
  collect: (clients, locator) => readBucket(clients, locator, locator.id!),
  fromTemplate: s3BucketsFromTemplate,
  enumerate: s3BucketEnumerator,
});
