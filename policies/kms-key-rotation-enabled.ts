import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import {
  KMS_KEY,
  rotationUnsupported,
  type KmsKeySnapshot,
} from '../src/resources/kms-key/snapshot';

export const kmsKeyRotationEnabled = definePolicy<KmsKeySnapshot, Record<string, never>>({
  id: 'kms-key-rotation-enabled',
  title: 'Customer-managed KMS keys rotate automatically',
  description:
    'An enabled, symmetric, customer-managed key with KMS-generated material and automatic rotation off violates. AWS-managed, asymmetric, HMAC, imported and disabled keys are not applicable.',
  rationale:
    'Yearly rotation limits how much data one key version protects and is what auditors ask for; KMS keeps every old version, so nothing encrypted before becomes unreadable.',
  severity: 'medium',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'KMS.4' },
    { framework: 'cis-aws-foundations-3.0', id: '3.6' },
    { framework: 'aws-well-architected', id: 'SEC08-BP01' },
  ],
  resourceType: KMS_KEY,
  triggers: ['CreateKey', 'DisableKeyRotation', 'EnableKey'],
  // Rotation keeps every old key version: no ciphertext, grant or policy changes. Enforce.
  defaultMode: 'enforce',
  parameters: z.strictObject({}),
  remediatorId: 'kms-enable-rotation',
  evaluate(snapshot) {
    const why = rotationUnsupported(snapshot);
    if (why) return notApplicable(why);
    if (snapshot.rotationEnabled === true) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `KMS key ${snapshot.keyId} does not rotate automatically.`,
        elements: [{ kind: 'key-rotation', description: 'automatic rotation off' }],
      },
    };
  },
});
