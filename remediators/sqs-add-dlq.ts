import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { defineRemediator } from '../src/engine/definitions';
import { readQueue, SQS_QUEUE, type SqsQueueSnapshot } from '../src/resources/sqs-queue';
import { ensureDeadLetterQueue } from './support/dead-letter-queue';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

const DEFAULT_MAX_RECEIVE_COUNT = 5;

/**
 * Gives a queue a dead-letter queue: creates `<name>-dlq` (`-dlq.fifo` for FIFO queues) with
 * the same encryption and 14-day retention, then sets RedrivePolicy. Messages stay put.
 */
export const sqsAddDlq = defineRemediator<SqsQueueSnapshot>({
  id: 'sqs-add-dlq',
  description: 'Creates <queue>-dlq (same encryption, 14-day retention) and sets RedrivePolicy.',
  resourceType: SQS_QUEUE,
  iamActions: {
    read: [
      'sqs:GetQueueUrl',
      'sqs:GetQueueAttributes',
      'sqs:ListDeadLetterSourceQueues',
      'sqs:ListQueueTags',
    ],
    write: ['sqs:CreateQueue', 'sqs:TagQueue', 'sqs:SetQueueAttributes'],
  },
  // CreateQueue with tags needs sqs:TagQueue as well (tag-on-create).
  impliedActions: { 'sqs:TagQueue': 'sqs:CreateQueue with tags (the queue is tagged on creation)' },
  remediate: ({ clients, snapshot, violation }) =>
    guarded(snapshot.redrivePolicy, async (changes) => {
      const current = await readQueue(clients, snapshot.ref, snapshot.queueName);
      if (!current) {
        return resourceGone(changes, `queue ${snapshot.queueName}`);
      }
      const before = {
        redrivePolicy: current.redrivePolicy,
        deadLetterSources: current.deadLetterSourceQueueUrls,
      };
      if (current.redrivePolicy || current.deadLetterSourceQueueUrls?.length) {
        return { status: 'already-compliant', changes, before, after: before };
      }
      const dlq = await ensureDeadLetterQueue(clients, snapshot.ref, {
        baseName: current.queueName,
        fifo: current.fifo,
        encryption: {
          kmsMasterKeyId: current.kmsMasterKeyId,
          kmsDataKeyReusePeriodSeconds: current.kmsDataKeyReusePeriodSeconds,
        },
        deadLetterFor: current.queueArn,
      });
      changes.push(...dlq.changes);
      const maxReceiveCount = Number(
        violation.remedy?.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT,
      );
      await clients.get(SQSClient, snapshot.ref).send(
        new SetQueueAttributesCommand({
          QueueUrl: current.queueUrl,
          Attributes: {
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount }),
          },
        }),
      );
      changes.push(
        `set RedrivePolicy of ${current.queueName} to ${dlq.name} (maxReceiveCount ${maxReceiveCount})`,
      );
      const after = await readQueue(clients, snapshot.ref, snapshot.queueName);
      if (after?.redrivePolicy?.deadLetterTargetArn !== dlq.arn) {
        return verificationFailed(
          changes,
          before,
          after?.redrivePolicy,
          `RedrivePolicy of ${current.queueName} does not point at ${dlq.arn}`,
        );
      }
      return { status: 'reverted', changes, before, after: { redrivePolicy: after.redrivePolicy } };
    }),
});
