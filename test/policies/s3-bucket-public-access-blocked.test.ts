import { describe, expect, it } from 'vitest';
import { s3BucketPublicAccessBlocked } from '../../policies/s3-bucket-public-access-blocked';
import {
  s3BucketRef,
  type PublicAccessBlock,
  type S3BucketSnapshot,
} from '../../src/resources/s3-bucket';

const ALL_ON: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const bucket = (publicAccessBlock: Partial<PublicAccessBlock>): S3BucketSnapshot => ({
  type: 'AWS::S3::Bucket',
  ref: s3BucketRef('123456789012', 'eu-west-1', 'reports'),
  bucketName: 'reports',
  publicAccessBlock: { ...ALL_ON, ...publicAccessBlock },
});
const params = s3BucketPublicAccessBlocked.parameters.parse({});

describe('s3-bucket-public-access-blocked', () => {
  it('states its id, metadata and defaults', () => {
    expect(s3BucketPublicAccessBlocked.id).toBe('s3-bucket-public-access-blocked');
    expect(s3BucketPublicAccessBlocked.defaultMode).toBe('enforce');
    expect(s3BucketPublicAccessBlocked.remediatorId).toBe('s3-block-public-access');
  });

  it('is compliant with all four settings on', () => {
    expect(s3BucketPublicAccessBlocked.evaluate(bucket({}), params)).toEqual({ compliant: true });
  });

  it('names exactly the settings that are off', () => {
    const verdict = s3BucketPublicAccessBlocked.evaluate(
      bucket({ BlockPublicPolicy: false, RestrictPublicBuckets: false }),
      params,
    );
    expect(verdict.compliant).toBe(false);
    if (verdict.compliant !== false) return;
    expect(verdict.finding.elements.map((e) => e.id)).toEqual([
      'BlockPublicPolicy',
      'RestrictPublicBuckets',
    ]);
    expect(verdict.finding.message).toBe(
      'S3 bucket reports does not block public access: BlockPublicPolicy, RestrictPublicBuckets off.',
    );
  });

  it('a bucket without any configuration violates on all four', () => {
    const verdict = s3BucketPublicAccessBlocked.evaluate(
      bucket({
        BlockPublicAcls: false,
        IgnorePublicAcls: false,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      }),
      params,
    );
    expect(verdict.compliant === false && verdict.finding.elements).toHaveLength(4);
  });

  it('takes no parameters', () => {
    expect(() => s3BucketPublicAccessBlocked.parameters.parse({ strict: true })).toThrow(/strict/);
  });
});
