import { GetBucketLocationCommand, paginateListBuckets, S3Client } from '@aws-sdk/client-s3';
import type { ResourceEnumerator } from '../../engine/definitions';
import { readEach } from '../enumeration';
import { readBucket } from './index';
import type { S3BucketSnapshot } from './snapshot';

/** GetBucketLocation's answer as a region: no constraint is us-east-1, `EU` is eu-west-1. */
function regionOf(constraint: string | undefined): string {
  if (!constraint) return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

/**
 * S3 lists every bucket of the account in one global listing: once per account, each
 * bucket then read in its own region (ListBuckets says which; GetBucketLocation when an
 * older endpoint does not).
 */
export const s3BucketEnumerator: ResourceEnumerator<S3BucketSnapshot> = {
  global: true,
  readActions: [
    's3:ListAllMyBuckets',
    's3:GetBucketLocation',
    's3:GetBucketPublicAccessBlock',
    's3:GetBucketPolicy',
  ],
  async *list(clients, scope) {
    const client = clients.get(S3Client, scope);
    for await (const page of paginateListBuckets({ client }, { MaxBuckets: 1000 })) {
      yield* await readEach(scope, page.Buckets ?? [], async (bucket) => {
        const name = bucket.Name!;
        const region =
          bucket.BucketRegion ??
          regionOf(
            (await client.send(new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint,
          );
        return readBucket(clients, { account: scope.account, region }, name);
      });
    }
  },
};
