import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import {
  DEAD_LETTER_TAG,
  SQS_QUEUE,
  type SqsQueueSnapshot,
} from '../src/resources/sqs-queue/snapshot';

export const sqsHasDlqParameters = z.strictObject({
  maxReceiveCount: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(5)
    .describe('maxReceiveCount of the RedrivePolicy Rampart sets.'),
  deadLetterSuffixes: z
    .array(z.string().min(1))
    .default(['-dlq', '-deadletter', '-dead-letter'])
    .describe(
      'Queue names ending in one of these (before `.fifo`) are dead-letter queues by convention.',
    ),
});
export type SqsHasDlqParameters = z.output<typeof sqsHasDlqParameters>;

/** Why a queue without a RedrivePolicy is itself a dead-letter queue, if it is one. */
export function deadLetterRole(
  queue: SqsQueueSnapshot,
  params: SqsHasDlqParameters,
): string | undefined {
  if (queue.failuresOf?.length) {
    return `receives the failures of ${queue.failuresOf.length} resource(s)`;
  }
  if (queue.deadLetterSourceQueueUrls?.length) {
    return `dead-letter queue of ${queue.deadLetterSourceQueueUrls.length} queue(s)`;
  }
  if (queue.tags?.[DEAD_LETTER_TAG]) return `tagged ${DEAD_LETTER_TAG}`;
  const base = queue.queueName.replace(/\.fifo$/, '').toLowerCase();
  const suffix = params.deadLetterSuffixes.find((s) => base.endsWith(s.toLowerCase()));
  return suffix ? `named *${suffix}` : undefined;
}

export const sqsHasDlq = definePolicy<SqsQueueSnapshot, SqsHasDlqParameters>({
  id: 'sqs-has-dlq',
  title: 'SQS queues have a dead-letter queue',
  description:
    "A queue without a RedrivePolicy violates, unless it is itself a dead-letter queue (then not applicable): another resource sends it its failures (a Lambda DLQ or on-failure destination, an SNS subscription redrive or an EventBridge target DLQ, found by listing them in the queue's account and region), some queue redrives to it, it carries the rampart:dead-letter-queue tag, or its name ends in a dead-letter suffix.",
  rationale:
    'A message that can never be processed is received again and again until its retention ends, blocking FIFO groups and hiding the failure; a dead-letter queue sets it aside for inspection.',
  severity: 'medium',
  pillar: 'reliability',
  controls: [{ framework: 'aws-well-architected', id: 'REL05-BP04' }],
  resourceType: SQS_QUEUE,
  triggers: ['CreateQueue', 'SetQueueAttributes'],
  defaultMode: 'enforce',
  parameters: sqsHasDlqParameters,
  remediatorId: 'sqs-add-dlq',
  readsTags: `a queue tagged ${DEAD_LETTER_TAG} is a dead-letter queue`,
  readsFailureSenders:
    'a queue that receives the failures of a function, subscription or rule is a dead-letter queue',
  evaluate(snapshot, params) {
    if (snapshot.redrivePolicy) return { compliant: true };
    const role = deadLetterRole(snapshot, params);
    if (role) return notApplicable(`is itself a dead-letter queue (${role})`);
    return {
      compliant: false,
      finding: {
        message: `SQS queue ${snapshot.queueName} has no dead-letter queue (no RedrivePolicy).`,
        elements: [{ kind: 'redrive-policy', description: 'no RedrivePolicy' }],
        remedy: { maxReceiveCount: params.maxReceiveCount },
      },
    };
  },
});
