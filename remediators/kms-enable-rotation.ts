import { EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { defineRemediator } from '../src/engine/definitions';
import {
  KMS_KEY,
  readKey,
  rotationUnsupported,
  type KmsKeySnapshot,
} from '../src/resources/kms-key';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/**
 * Turns automatic rotation on (EnableKeyRotation, the default yearly period): old key
 * versions stay, so everything already encrypted stays readable; policy and grants untouched.
 */
export const kmsEnableRotation = defineRemediator<KmsKeySnapshot>({
  id: 'kms-enable-rotation',
  description: 'Turns automatic key rotation on (EnableKeyRotation).',
  resourceType: KMS_KEY,
  iamActions: {
    read: ['kms:DescribeKey', 'kms:GetKeyRotationStatus'],
    write: ['kms:EnableKeyRotation'],
  },
  remediate: ({ clients, snapshot }) =>
    guarded(snapshot.rotationEnabled, async (changes) => {
      const before = await readKey(clients, snapshot.ref, snapshot.keyId);
      if (!before) return resourceGone(changes, `key ${snapshot.keyId}`);
      if (rotationUnsupported(before) || before.rotationEnabled) {
        return {
          status: 'already-compliant',
          changes,
          before: before.rotationEnabled,
          after: before.rotationEnabled,
        };
      }
      await clients
        .get(KMSClient, snapshot.ref)
        .send(new EnableKeyRotationCommand({ KeyId: before.keyId }));
      changes.push(`turned on automatic rotation of key ${before.keyId}`);
      const after = await readKey(clients, snapshot.ref, snapshot.keyId);
      if (!after?.rotationEnabled) {
        return verificationFailed(
          changes,
          false,
          after?.rotationEnabled,
          `key ${snapshot.keyId} still does not rotate`,
        );
      }
      return { status: 'reverted', changes, before: false, after: true };
    }),
});
