import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import {
  appliesToAnyone,
  conditionKeys,
  conditionValues,
  coversAction,
  parseResourcePolicy,
  wildcardMatches,
  type PolicyStatement,
} from '../src/resources/resource-policy';
import { S3_BUCKET, type S3BucketSnapshot } from '../src/resources/s3-bucket/snapshot';

/**
 * A statement that denies every S3 action, to anyone, on the bucket and its objects, when the
 * request is not over TLS: the shape AWS documents for `aws:SecureTransport`.
 */
export function deniesInsecureTransport(s: PolicyStatement, bucketArn: string): boolean {
  if (s.effect !== 'Deny' || !appliesToAnyone(s) || !coversAction(s, 's3:*')) return false;
  if (s.negated.resource) return false;
  const covers = (arn: string) => s.resources.some((r) => wildcardMatches(r, arn));
  if (!covers(bucketArn) || !covers(`${bucketArn}/*`)) return false;
  // Any other condition would narrow the deny to some requests only.
  const operators = Object.keys(s.conditions);
  if (conditionKeys(s).length !== 1 || !['Bool', 'BoolIfExists'].includes(operators[0]!)) {
    return false;
  }
  const values = conditionValues(s, 'Bool', 'aws:SecureTransport');
  return values.length > 0 && values.every((v) => v === 'false');
}

export const s3BucketSslOnly = definePolicy<S3BucketSnapshot, Record<string, never>>({
  id: 's3-bucket-ssl-only',
  title: 'S3 buckets refuse requests that are not over TLS',
  description:
    'A bucket whose policy has no statement denying s3:* to every principal, on the bucket and its objects, when aws:SecureTransport is false violates (a bucket without a policy too).',
  rationale:
    'Without the deny, S3 serves plain-HTTP requests: data and request signatures cross the network unencrypted, open to interception and tampering.',
  severity: 'medium',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'S3.5' },
    { framework: 'cis-aws-foundations-3.0', id: '2.1.1' },
    { framework: 'aws-well-architected', id: 'SEC09-BP02' },
  ],
  resourceType: S3_BUCKET,
  triggers: ['CreateBucket', 'PutBucketPolicy', 'DeleteBucketPolicy'],
  // One added statement: every HTTPS client keeps working, the rest of the policy is kept.
  defaultMode: 'enforce',
  parameters: z.strictObject({}),
  remediatorId: 's3-deny-insecure-transport',
  evaluate(snapshot) {
    const statements =
      snapshot.bucketPolicy === undefined
        ? []
        : parseResourcePolicy(snapshot.bucketPolicy, `bucket policy of ${snapshot.bucketName}`);
    if (statements.some((s) => deniesInsecureTransport(s, snapshot.ref.arn))) {
      return { compliant: true };
    }
    return {
      compliant: false,
      finding: {
        message: `S3 bucket ${snapshot.bucketName} accepts plain-HTTP requests: ${
          snapshot.bucketPolicy === undefined
            ? 'it has no bucket policy denying them'
            : 'its policy does not deny them'
        } (aws:SecureTransport false).`,
        elements: [
          {
            kind: 'bucket-policy-statement',
            description: 'no Deny of s3:* to * when aws:SecureTransport is false',
          },
        ],
      },
    };
  },
});
