import { describe, expect, it } from 'vitest';
import { s3BucketSslOnly } from '../../policies/s3-bucket-ssl-only';
import { judge } from '../../src/engine/judge';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { s3BucketRef, type S3BucketSnapshot } from '../../src/resources/s3-bucket';

const ARN = 'arn:aws:s3:::orders-data';
const bucket = (statements?: unknown[]): S3BucketSnapshot => ({
  type: 'AWS::S3::Bucket',
  ref: s3BucketRef('123456789012', 'eu-west-1', 'orders-data'),
  bucketName: 'orders-data',
  publicAccessBlock: {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  },
  ...(statements
    ? { bucketPolicy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }
    : {}),
});
const deny = (over: Record<string, unknown> = {}) => ({
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [ARN, `${ARN}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  ...over,
});
const allowReader = {
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:role/reader' },
  Action: 's3:GetObject',
  Resource: `${ARN}/*`,
};
const compliant = (s: S3BucketSnapshot) => s3BucketSslOnly.evaluate(s, {}).compliant;

describe('s3-bucket-ssl-only', () => {
  it('states its metadata: enforce, security, S3.5, its remediator', () => {
    expect(s3BucketSslOnly).toMatchObject({
      defaultMode: 'enforce',
      pillar: 'security',
      remediatorId: 's3-deny-insecure-transport',
    });
    expect(s3BucketSslOnly.controls).toContainEqual({ framework: 'aws-fsbp', id: 'S3.5' });
  });

  it('complies with the documented deny, in its written variants', () => {
    expect(compliant(bucket([allowReader, deny()]))).toBe(true);
    expect(compliant(bucket([deny({ Principal: { AWS: '*' }, Action: '*' })]))).toBe(true);
    expect(compliant(bucket([deny({ Resource: `${ARN}*` })]))).toBe(true);
    // JSON boolean, IfExists form, key in another case: IAM treats them alike.
    expect(
      compliant(bucket([deny({ Condition: { BoolIfExists: { 'AWS:SECURETRANSPORT': false } } })])),
    ).toBe(true);
  });

  it('a bucket without a policy, or with only allows, violates and says which', () => {
    const none = s3BucketSslOnly.evaluate(bucket(), {});
    expect(none.compliant === false && none.finding.message).toBe(
      'S3 bucket orders-data accepts plain-HTTP requests: it has no bucket policy denying them (aws:SecureTransport false).',
    );
    const allowsOnly = s3BucketSslOnly.evaluate(bucket([allowReader]), {});
    expect(allowsOnly.compliant === false && allowsOnly.finding.message).toBe(
      'S3 bucket orders-data accepts plain-HTTP requests: its policy does not deny them (aws:SecureTransport false).',
    );
  });

  it('look-alike denies that leave plain HTTP open somewhere violate', () => {
    const lookAlikes = [
      deny({ Principal: { AWS: 'arn:aws:iam::123456789012:root' } }), // one principal only
      deny({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' } }),
      deny({ Action: 's3:GetObject' }), // writes over HTTP stay open
      deny({ Resource: `${ARN}/*` }), // bucket-level calls stay open
      deny({ Resource: 'arn:aws:s3:::orders-data-archive/*' }), // a look-alike bucket name
      deny({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
      deny({ Condition: { StringEquals: { 'aws:SecureTransport': 'false' } } }),
      deny({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }),
      // An extra condition narrows the deny to some callers.
      deny({
        Condition: {
          Bool: { 'aws:SecureTransport': 'false' },
          StringEquals: { 'aws:PrincipalAccount': '111122223333' },
        },
      }),
      { ...deny(), Effect: 'Allow' },
    ];
    for (const s of lookAlikes) expect(compliant(bucket([s])), JSON.stringify(s)).toBe(false);
  });

  it('an unreadable policy is an error, never compliant', () => {
    const catalog = defaultCatalog();
    const config = parseConfig({}, catalog);
    const broken = { ...bucket(), bucketPolicy: '{"Statement": [' };
    expect(judge(s3BucketSslOnly, broken, config)).toMatchObject({
      status: 'error',
      error: 'ResourcePolicyError: bucket policy of orders-data: not valid JSON',
    });
    const huge = { ...bucket(), bucketPolicy: ' '.repeat(20_481) };
    expect(judge(s3BucketSslOnly, huge, config)).toMatchObject({
      status: 'error',
      error: 'ResourcePolicyError: bucket policy of orders-data: longer than 20480 bytes',
    });
  });
});
