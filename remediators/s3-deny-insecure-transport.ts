import { PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { deniesInsecureTransport } from '../policies/s3-bucket-ssl-only';
import { defineRemediator } from '../src/engine/definitions';
import { MAX_RESOURCE_POLICY_BYTES, parseResourcePolicy } from '../src/resources/resource-policy';
import { readBucket, S3_BUCKET, type S3BucketSnapshot } from '../src/resources/s3-bucket';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/** The Sid of the one statement this remediator adds (and the only one it ever writes). */
export const DENY_INSECURE_TRANSPORT_SID = 'RampartDenyInsecureTransport';

const denyStatement = (bucketArn: string) => ({
  Sid: DENY_INSECURE_TRANSPORT_SID,
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [bucketArn, `${bucketArn}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

type PolicyDocument = { Version?: string; Statement?: unknown; [key: string]: unknown };

/**
 * Adds one statement to the bucket policy, denying every request that is not over TLS; every
 * other statement (and the policy's Id and Version) is written back exactly as it was read.
 * A bucket without a policy gets one holding only that statement.
 */
export const s3DenyInsecureTransport = defineRemediator<S3BucketSnapshot>({
  id: 's3-deny-insecure-transport',
  description:
    'Adds one statement to the bucket policy denying requests without TLS (aws:SecureTransport false), leaving the rest as it is (PutBucketPolicy).',
  resourceType: S3_BUCKET,
  iamActions: {
    read: ['s3:GetBucketPublicAccessBlock', 's3:GetBucketPolicy'],
    write: ['s3:PutBucketPolicy'],
  },
  remediate: ({ clients, snapshot }) =>
    guarded(snapshot.bucketPolicy, async (changes) => {
      const name = snapshot.bucketName;
      const before = await readBucket(clients, snapshot.ref, name);
      if (!before) return resourceGone(changes, `bucket ${name}`);
      const refuse = (why: string) => ({
        status: 'failed' as const,
        changes,
        before: before.bucketPolicy,
        after: before.bucketPolicy,
        error: `bucket policy of ${name} left as it is: ${why}`,
      });
      const field = `bucket policy of ${name}`;
      const statements = before.bucketPolicy ? parseResourcePolicy(before.bucketPolicy, field) : [];
      if (statements.some((s) => deniesInsecureTransport(s, snapshot.ref.arn))) {
        return {
          status: 'already-compliant',
          changes,
          before: before.bucketPolicy,
          after: before.bucketPolicy,
        };
      }
      // Someone changed the statement Rampart added: a human decided, Rampart does not fight it.
      if (statements.some((s) => s.sid === DENY_INSECURE_TRANSPORT_SID)) {
        return refuse(`it has a statement ${DENY_INSECURE_TRANSPORT_SID} that was edited`);
      }
      const doc: PolicyDocument = before.bucketPolicy
        ? (JSON.parse(before.bucketPolicy) as PolicyDocument)
        : { Version: '2012-10-17' };
      const kept = doc.Statement === undefined ? [] : [doc.Statement].flat();
      const text = JSON.stringify({
        ...doc,
        Statement: [...kept, denyStatement(snapshot.ref.arn)],
      });
      if (Buffer.byteLength(text) > MAX_RESOURCE_POLICY_BYTES) {
        return refuse(`with the statement it would exceed S3's ${MAX_RESOURCE_POLICY_BYTES} bytes`);
      }
      await clients.get(S3Client, snapshot.ref).send(
        new PutBucketPolicyCommand({
          Bucket: name,
          // Never another account's bucket of the same name: S3 refuses it (403).
          ExpectedBucketOwner: snapshot.ref.account,
          Policy: text,
        }),
      );
      changes.push(
        `added statement ${DENY_INSECURE_TRANSPORT_SID} to the policy of bucket ${name}`,
      );
      const after = await readBucket(clients, snapshot.ref, name);
      const afterStatements = after?.bucketPolicy
        ? parseResourcePolicy(after.bucketPolicy, field)
        : [];
      // Verified: the deny is in force and every statement read before is still there.
      const keptAll =
        JSON.stringify(afterStatements.slice(0, statements.length)) === JSON.stringify(statements);
      if (!afterStatements.some((s) => deniesInsecureTransport(s, snapshot.ref.arn)) || !keptAll) {
        return verificationFailed(
          changes,
          before.bucketPolicy,
          after?.bucketPolicy,
          `bucket ${name} does not hold its previous statements plus the TLS deny`,
        );
      }
      return {
        status: 'reverted',
        changes,
        before: before.bucketPolicy,
        after: after!.bucketPolicy,
      };
    }),
});
