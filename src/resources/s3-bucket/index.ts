import { GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
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

/** The bucket's Block Public Access settings; undefined when the bucket does not exist. */
export async function readBucket(
  clients: AwsClients,
  scope: { account: string; region: string },
  bucketName: string,
): Promise<S3BucketSnapshot | undefined> {
  let config: Parameters<typeof publicAccessBlockOf>[0];
  try {
    const out = await clients
      .get(S3Client, scope)
      // Bucket names are global: S3 refuses the call unless the bucket is this account's.
      .send(
        new GetPublicAccessBlockCommand({ Bucket: bucketName, ExpectedBucketOwner: scope.account }),
      );
    config = out.PublicAccessBlockConfiguration;
  } catch (error) {
    if (isAwsError(error, 'NoSuchBucket')) return undefined;
    // No configuration at all: every setting is off.
    if (!isAwsError(error, 'NoSuchPublicAccessBlockConfiguration')) throw error;
  }
  return {
    type: S3_BUCKET,
    ref: s3BucketRef(scope.account, scope.region, bucketName),
    bucketName,
    publicAccessBlock: publicAccessBlockOf(config),
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
  },
  readActions: ['s3:GetBucketPublicAccessBlock'],
  collect: (clients, locator) => readBucket(clients, locator, locator.id!),
  fromTemplate: s3BucketsFromTemplate,
  enumerate: s3BucketEnumerator,
});
