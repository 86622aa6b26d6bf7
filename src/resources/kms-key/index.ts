import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import type { AwsClients } from '../../aws/clients';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { arnScope, isAwsError, nameFromArnOrName, refOf, requiredString } from '../shared';
import { kmsKeysFromTemplate } from './cloudformation';
import { kmsKeyEnumerator } from './enumerate';
import { KMS_KEY, rotationUnsupported, type KmsKeySnapshot } from './snapshot';

export * from './snapshot';

export function kmsKeyRef(account: string, region: string, keyId: string): ResourceRef {
  return refOf(
    KMS_KEY,
    account,
    region,
    keyId,
    (p) => `arn:${p}:kms:${region}:${account}:key/${keyId}`,
  );
}

/** The snapshot of DescribeKey's metadata, without the rotation status (read apart). */
export function keySnapshot(
  scope: { account: string; region: string },
  meta: Pick<KeyMetadata, 'KeyId' | 'Arn' | 'KeyManager' | 'KeySpec' | 'KeyState' | 'Origin'>,
  rotationEnabled: boolean | undefined,
): KmsKeySnapshot {
  const keyId = meta.KeyId!;
  const ref = kmsKeyRef(scope.account, scope.region, keyId);
  return {
    type: KMS_KEY,
    ref,
    keyId,
    keyArn: meta.Arn ?? ref.arn,
    keyManager: meta.KeyManager ?? 'CUSTOMER',
    keySpec: meta.KeySpec ?? 'SYMMETRIC_DEFAULT',
    keyState: meta.KeyState ?? 'Enabled',
    origin: meta.Origin ?? 'AWS_KMS',
    ...(rotationEnabled !== undefined ? { rotationEnabled } : {}),
  };
}

/** Reads a key and, where it can rotate, its rotation status; undefined when it does not exist. */
export async function readKey(
  clients: AwsClients,
  scope: { account: string; region: string },
  keyId: string,
): Promise<KmsKeySnapshot | undefined> {
  const kms = clients.get(KMSClient, scope);
  let meta: KeyMetadata | undefined;
  try {
    meta = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
  } catch (error) {
    if (isAwsError(error, 'NotFoundException')) return undefined;
    throw error;
  }
  if (!meta?.KeyId) return undefined;
  const key = keySnapshot(scope, meta, undefined);
  if (rotationUnsupported(key)) return key;
  const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: meta.KeyId }));
  return { ...key, rotationEnabled: status.KeyRotationEnabled === true };
}

/** Key ids are named by id or ARN; CreateKey says the new key's id in its response. */
const byKeyId =
  (...paths: string[]): CloudTrailLocator =>
  (record, where) => {
    const raw = requiredString(record, paths);
    return [{ type: KMS_KEY, ...arnScope(raw, where), id: nameFromArnOrName(raw, ':key/') }];
  };

export const kmsKeyType = defineResourceType<KmsKeySnapshot>({
  type: KMS_KEY,
  eventSource: 'kms.amazonaws.com',
  iam: {
    service: 'kms',
    arns: (p, a) => [`arn:${p}:kms:*:${a}:key/*`],
    reason:
      'Key writes: any key of this account, found at run time (rotation on; grants only for an AWS resource through DynamoDB, by condition).',
  },
  securityHubType: 'AwsKmsKey',
  // Config's key item lacks the rotation status: a Config change is judged from a live read.
  configResourceTypes: ['AWS::KMS::Key'],
  cloudFormationTypes: ['AWS::KMS::Key'],
  cloudTrail: {
    CreateKey: byKeyId('response.keyMetadata.keyId'),
    DisableKeyRotation: byKeyId('request.keyId'),
    EnableKey: byKeyId('request.keyId'),
  },
  readActions: ['kms:DescribeKey', 'kms:GetKeyRotationStatus'],
  collect: (clients, locator) => readKey(clients, locator, locator.id ?? locator.name!),
  fromTemplate: kmsKeysFromTemplate,
  enumerate: kmsKeyEnumerator,
});
