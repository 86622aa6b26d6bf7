import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import { SQS_QUEUE, type SqsQueueSnapshot } from '../src/resources/sqs-queue/snapshot';

/** Whether a queue encrypts at rest: SQS-managed keys (SSE-SQS) or a KMS key (SSE-KMS). */
export function queueEncryption(queue: SqsQueueSnapshot): string | undefined {
  if (queue.kmsMasterKeyId) return `SSE-KMS (${queue.kmsMasterKeyId})`;
  if (queue.sqsManagedSse) return 'SSE-SQS';
  return undefined;
}

export const sqsEncrypted = definePolicy<SqsQueueSnapshot, Record<string, never>>({
  id: 'sqs-encrypted',
  title: 'SQS queues are encrypted at rest',
  description:
    'A queue with neither SQS-managed server-side encryption (SqsManagedSseEnabled) nor a KMS key (KmsMasterKeyId) violates.',
  rationale:
    'Messages often carry personal or business data; encryption at rest costs nothing with SQS-managed keys, and since 2022 new queues have it unless someone turns it off.',
  severity: 'medium',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'SQS.1' },
    { framework: 'aws-well-architected', id: 'SEC08-BP02' },
  ],
  resourceType: SQS_QUEUE,
  triggers: ['CreateQueue', 'SetQueueAttributes'],
  // Turning SSE-SQS on changes no message, no consumer and no permission: safe to enforce.
  defaultMode: 'enforce',
  parameters: z.strictObject({}),
  remediatorId: 'sqs-enable-sse',
  evaluate(snapshot) {
    if (queueEncryption(snapshot)) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `SQS queue ${snapshot.queueName} is not encrypted at rest (SqsManagedSseEnabled false, no KmsMasterKeyId).`,
        elements: [{ kind: 'encryption', description: 'no server-side encryption' }],
      },
    };
  },
});
