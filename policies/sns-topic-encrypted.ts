import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import { SNS_TOPIC, type SnsTopicSnapshot } from '../src/resources/sns-topic/snapshot';

export const snsTopicEncrypted = definePolicy<SnsTopicSnapshot, Record<string, never>>({
  id: 'sns-topic-encrypted',
  title: 'SNS topics are encrypted at rest',
  description: 'A topic without a KMS key (KmsMasterKeyId) violates.',
  rationale:
    'Messages wait in SNS until every subscription has them; with server-side encryption they are stored under a KMS key instead of in the clear.',
  severity: 'medium',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'SNS.1' },
    { framework: 'aws-well-architected', id: 'SEC08-BP02' },
  ],
  resourceType: SNS_TOPIC,
  triggers: ['CreateTopic', 'SetTopicAttributes'],
  // alias/aws/sns changes no message or subscriber; the remediator refuses where an AWS
  // service publishes (it cannot use that key), so enforcing never cuts a delivery.
  defaultMode: 'enforce',
  parameters: z.strictObject({}),
  remediatorId: 'sns-enable-encryption',
  evaluate(snapshot) {
    if (snapshot.kmsMasterKeyId) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `SNS topic ${snapshot.topicName} is not encrypted at rest (no KmsMasterKeyId).`,
        elements: [{ kind: 'encryption', description: 'no KMS key' }],
      },
    };
  },
});
