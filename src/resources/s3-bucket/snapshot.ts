/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

export const S3_BUCKET = 'AWS::S3::Bucket' as const;

/** The four settings of a bucket's Block Public Access configuration, as the API names them. */
export const PUBLIC_ACCESS_BLOCK_SETTINGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;
export type PublicAccessBlockSetting = (typeof PUBLIC_ACCESS_BLOCK_SETTINGS)[number];
export type PublicAccessBlock = Record<PublicAccessBlockSetting, boolean>;

export interface S3BucketSnapshot extends Snapshot {
  type: typeof S3_BUCKET;
  bucketName: string;
  /** The bucket-level configuration; a bucket without one has every setting off. */
  publicAccessBlock: PublicAccessBlock;
  /** The bucket policy as S3 returns it (JSON text, at most 20 KB); absent: the bucket has none. */
  bucketPolicy?: string;
}

/** Absent settings are off, as S3 treats them. */
export function publicAccessBlockOf(
  config: Partial<Record<PublicAccessBlockSetting, unknown>> | undefined,
): PublicAccessBlock {
  const on = (v: unknown) => v === true || v === 'true';
  return {
    BlockPublicAcls: on(config?.BlockPublicAcls),
    IgnorePublicAcls: on(config?.IgnorePublicAcls),
    BlockPublicPolicy: on(config?.BlockPublicPolicy),
    RestrictPublicBuckets: on(config?.RestrictPublicBuckets),
  };
}
