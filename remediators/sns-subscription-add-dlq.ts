import { SetSubscriptionAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQS_QUEUE_SCOPE } from '../src/resources/sqs-queue/scope';
import { defineRemediator } from '../src/engine/definitions';
import {
  readSubscription,
  SNS_SUBSCRIPTION,
  type SnsSubscriptionSnapshot,
} from '../src/resources/sns-subscription';
import { ensureDeadLetterQueue } from './support/dead-letter-queue';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/**
 * Gives a subscription a dead-letter queue: one `<topic>-dlq` per topic, whose policy lets
 * SNS send from that topic, then SetSubscriptionAttributes RedrivePolicy.
 */
export const snsSubscriptionAddDlq = defineRemediator<SnsSubscriptionSnapshot>({
  id: 'sns-subscription-add-dlq',
  description:
    'Ensures <topic>-dlq with a queue policy for the topic and sets the subscription RedrivePolicy.',
  resourceType: SNS_SUBSCRIPTION,
  iamActions: {
    read: [
      'sns:GetSubscriptionAttributes',
      'sqs:GetQueueUrl',
      'sqs:GetQueueAttributes',
      'sqs:ListQueueTags',
    ],
    write: [
      'sqs:CreateQueue',
      'sqs:TagQueue',
      'sqs:SetQueueAttributes',
      'sns:SetSubscriptionAttributes',
    ],
  },
  // The dead-letter queue it creates and tags.
  alsoWrites: [SQS_QUEUE_SCOPE],
  // CreateQueue with tags needs sqs:TagQueue as well (tag-on-create).
  impliedActions: { 'sqs:TagQueue': 'sqs:CreateQueue with tags (the queue is tagged on creation)' },
  remediate: ({ clients, snapshot }) =>
    guarded(snapshot.deadLetterTargetArn, async (changes) => {
      const current = await readSubscription(clients, snapshot.ref, snapshot.subscriptionArn);
      if (!current) {
        return resourceGone(changes, `subscription ${snapshot.subscriptionArn}`);
      }
      const before = { deadLetterTargetArn: current.deadLetterTargetArn };
      if (current.deadLetterTargetArn)
        return { status: 'already-compliant', changes, before, after: before };
      const topicName = current.topicArn.split(':').pop()!;
      const dlq = await ensureDeadLetterQueue(clients, snapshot.ref, {
        baseName: topicName,
        fifo: topicName.endsWith('.fifo'),
        deadLetterFor: current.topicArn,
        allowSend: { service: 'sns.amazonaws.com', sourceArn: current.topicArn },
      });
      changes.push(...dlq.changes);
      await clients.get(SNSClient, snapshot.ref).send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: current.subscriptionArn,
          AttributeName: 'RedrivePolicy',
          AttributeValue: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
        }),
      );
      changes.push(`set RedrivePolicy of ${current.subscriptionArn} to ${dlq.name}`);
      const after = await readSubscription(clients, snapshot.ref, snapshot.subscriptionArn);
      if (after?.deadLetterTargetArn !== dlq.arn) {
        return verificationFailed(
          changes,
          before,
          { deadLetterTargetArn: after?.deadLetterTargetArn },
          `RedrivePolicy does not point at ${dlq.arn}`,
        );
      }
      return {
        status: 'reverted',
        changes,
        before,
        after: { deadLetterTargetArn: after.deadLetterTargetArn },
      };
    }),
});
