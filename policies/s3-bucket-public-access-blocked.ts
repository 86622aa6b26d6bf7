import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import {
  PUBLIC_ACCESS_BLOCK_SETTINGS,
  S3_BUCKET,
  type S3BucketSnapshot,
} from '../src/resources/s3-bucket/snapshot';

export const s3BucketPublicAccessBlockedParameters = z.strictObject({});

export const s3BucketPublicAccessBlocked = definePolicy<
  S3BucketSnapshot,
  z.output<typeof s3BucketPublicAccessBlockedParameters>
>({
  id: 's3-bucket-public-access-blocked',
  title: 'S3 buckets block public access with all four settings',
  description:
    'A bucket whose Block Public Access configuration lacks any of BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets violates (a bucket without a configuration has all four off).',
  rationale:
    'One public ACL or bucket policy is enough to expose a bucket to the internet; the four settings together make S3 refuse and ignore public grants whatever the ACLs and policies say.',
  severity: 'high',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'S3.8' },
    { framework: 'cis-aws-foundations-3.0', id: '2.1.4' },
    { framework: 'aws-well-architected', id: 'SEC08-BP04' },
  ],
  resourceType: S3_BUCKET,
  triggers: ['CreateBucket', 'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock'],
  defaultMode: 'enforce',
  parameters: s3BucketPublicAccessBlockedParameters,
  remediatorId: 's3-block-public-access',
  evaluate(snapshot) {
    const off = PUBLIC_ACCESS_BLOCK_SETTINGS.filter((s) => !snapshot.publicAccessBlock[s]);
    if (off.length === 0) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `S3 bucket ${snapshot.bucketName} does not block public access: ${off.join(', ')} off.`,
        elements: off.map((setting) => ({
          kind: 'public-access-block-setting',
          id: setting,
          description: `${setting} is off`,
        })),
      },
    };
  },
});
