import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { queueEncryption } from '../policies/sqs-encrypted';
import { defineRemediator } from '../src/engine/definitions';
import { readQueue, SQS_QUEUE, type SqsQueueSnapshot } from '../src/resources/sqs-queue';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/**
 * Turns on SQS-managed server-side encryption (SqsManagedSseEnabled), the one attribute it
 * sets. A queue that already has any encryption (a KMS key included) is left as it is: the
 * owner's choice of key is never replaced.
 */
export const sqsEnableSse = defineRemediator<SqsQueueSnapshot>({
  id: 'sqs-enable-sse',
  description:
    'Turns on SQS-managed server-side encryption (SetQueueAttributes SqsManagedSseEnabled).',
  resourceType: SQS_QUEUE,
  iamActions: {
    read: [
      'sqs:GetQueueUrl',
      'sqs:GetQueueAttributes',
      'sqs:ListDeadLetterSourceQueues',
      'sqs:ListQueueTags',
    ],
    write: ['sqs:SetQueueAttributes'],
  },
  remediate: ({ clients, snapshot }) =>
    guarded(undefined, async (changes) => {
      const current = await readQueue(clients, snapshot.ref, snapshot.queueName);
      if (!current) return resourceGone(changes, `queue ${snapshot.queueName}`);
      const before = queueEncryption(current) ?? 'none';
      if (before !== 'none') return { status: 'already-compliant', changes, before, after: before };
      await clients.get(SQSClient, snapshot.ref).send(
        new SetQueueAttributesCommand({
          QueueUrl: current.queueUrl,
          Attributes: { SqsManagedSseEnabled: 'true' },
        }),
      );
      changes.push(`turned on SQS-managed encryption of queue ${current.queueName}`);
      const after = await readQueue(clients, snapshot.ref, snapshot.queueName);
      const now = after ? queueEncryption(after) : undefined;
      if (!now) {
        return verificationFailed(
          changes,
          before,
          now,
          `queue ${snapshot.queueName} is still not encrypted`,
        );
      }
      return { status: 'reverted', changes, before, after: now };
    }),
});
