/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

export const KMS_KEY = 'AWS::KMS::Key' as const;

export interface KmsKeySnapshot extends Snapshot {
  type: typeof KMS_KEY;
  keyId: string;
  keyArn: string;
  /** `CUSTOMER` or `AWS` (AWS-managed keys rotate on their own). */
  keyManager: string;
  /** `SYMMETRIC_DEFAULT`, `RSA_2048`, `HMAC_256`…: only symmetric keys can rotate automatically. */
  keySpec: string;
  /** `Enabled`, `Disabled`, `PendingDeletion`… */
  keyState: string;
  /** `AWS_KMS`, `EXTERNAL` (imported material: no automatic rotation), `AWS_CLOUDHSM`… */
  origin: string;
  /** Automatic rotation; undefined where KMS does not say (a key that cannot rotate). */
  rotationEnabled?: boolean;
}

/** Why a key cannot have automatic rotation, if it cannot. */
export function rotationUnsupported(key: KmsKeySnapshot): string | undefined {
  if (key.keyManager !== 'CUSTOMER') return 'an AWS-managed key, rotated by AWS';
  if (key.keySpec !== 'SYMMETRIC_DEFAULT')
    return `a ${key.keySpec} key (only symmetric keys rotate)`;
  if (key.origin !== 'AWS_KMS') return `key material from ${key.origin} (rotated by its owner)`;
  if (key.keyState !== 'Enabled') return `a key in state ${key.keyState}`;
  return undefined;
}
