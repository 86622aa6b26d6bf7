import { PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { defineRemediator } from '../src/engine/definitions';
import {
  PUBLIC_ACCESS_BLOCK_SETTINGS,
  readBucket,
  S3_BUCKET,
  type S3BucketSnapshot,
} from '../src/resources/s3-bucket';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/**
 * Turns on the bucket's four Block Public Access settings: the configuration is the
 * offending element, and the four settings are all it holds. ACLs, the bucket policy and
 * the data are left as they are (S3 now refuses and ignores their public grants).
 */
export const s3BlockPublicAccess = defineRemediator<S3BucketSnapshot>({
  id: 's3-block-public-access',
  description: "Turns on the bucket's four Block Public Access settings (PutPublicAccessBlock).",
  resourceType: S3_BUCKET,
  iamActions: {
    read: ['s3:GetBucketPublicAccessBlock', 's3:GetBucketPolicy'],
    write: ['s3:PutBucketPublicAccessBlock'],
  },
  remediate: ({ clients, snapshot }) =>
    guarded(snapshot.publicAccessBlock, async (changes) => {
      const before = await readBucket(clients, snapshot.ref, snapshot.bucketName);
      if (!before) return resourceGone(changes, `bucket ${snapshot.bucketName}`);
      const off = PUBLIC_ACCESS_BLOCK_SETTINGS.filter((s) => !before.publicAccessBlock[s]);
      if (off.length === 0) {
        return {
          status: 'already-compliant',
          changes,
          before: before.publicAccessBlock,
          after: before.publicAccessBlock,
        };
      }
      await clients.get(S3Client, snapshot.ref).send(
        new PutPublicAccessBlockCommand({
          Bucket: snapshot.bucketName,
          // Never another account's bucket of the same name: S3 refuses it (403).
          ExpectedBucketOwner: snapshot.ref.account,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
      );
      changes.push(`turned on ${off.join(', ')} of bucket ${snapshot.bucketName}`);
      const after = await readBucket(clients, snapshot.ref, snapshot.bucketName);
      if (!after || PUBLIC_ACCESS_BLOCK_SETTINGS.some((s) => !after.publicAccessBlock[s])) {
        return verificationFailed(
          changes,
          before.publicAccessBlock,
          after?.publicAccessBlock,
          `bucket ${snapshot.bucketName} still does not block public access`,
        );
      }
      return {
        status: 'reverted',
        changes,
        before: before.publicAccessBlock,
        after: after.publicAccessBlock,
      };
    }),
});
