import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import {
  isSqsSource,
  LAMBDA_EVENT_SOURCE,
  type LambdaEventSourceSnapshot,
} from '../src/resources/lambda-event-source/snapshot';

export const sqsVisibilityCoversFunctionParameters = z.strictObject({
  /** AWS's guidance: at least six times the function timeout (plus the batching window). */
  multiplier: z.number().int().min(1).max(12).default(6),
});

export const sqsVisibilityCoversFunction = definePolicy<
  LambdaEventSourceSnapshot,
  z.output<typeof sqsVisibilityCoversFunctionParameters>
>({
  id: 'sqs-visibility-covers-function',
  title: "An SQS queue's visibility timeout covers its consuming function",
  description:
    "An SQS event source mapping whose queue's visibility timeout is shorter than `multiplier` (6) times the function's timeout plus the batching window violates. Other sources are not applicable. A cross-resource check: a later change of the function's timeout or the queue's visibility timeout alone is found by the sweep.",
  rationale:
    'When a message becomes visible again while a batch is still being processed (or retried on throttling), it is delivered twice, and after maxReceiveCount it is moved to the dead-letter queue without ever having failed.',
  severity: 'medium',
  pillar: 'reliability',
  controls: [{ framework: 'aws-well-architected', id: 'REL05-BP05' }],
  resourceType: LAMBDA_EVENT_SOURCE,
  triggers: ['CreateEventSourceMapping20150331', 'UpdateEventSourceMapping20150331'],
  // The fix is the queue owner's choice (raise the visibility timeout, or lower the function
  // timeout), and the queue may be another team's: reported, never changed.
  defaultMode: 'notify',
  parameters: sqsVisibilityCoversFunctionParameters,
  evaluate(snapshot, { multiplier }) {
    if (!isSqsSource(snapshot.eventSourceArn))
      return notApplicable('the source is not an SQS queue');
    if (snapshot.functionTimeoutSeconds === undefined) {
      return notApplicable(`the function ${snapshot.functionArn} was not found`);
    }
    if (snapshot.queueVisibilityTimeoutSeconds === undefined) {
      return notApplicable(`the queue ${snapshot.eventSourceArn} was not found`);
    }
    const needed = multiplier * snapshot.functionTimeoutSeconds + snapshot.batchingWindowSeconds;
    if (snapshot.queueVisibilityTimeoutSeconds >= needed) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `Queue ${snapshot.eventSourceArn.split(':').at(-1)} has a visibility timeout of ${snapshot.queueVisibilityTimeoutSeconds} s, shorter than the ${needed} s its consumer ${snapshot.functionArn.split(':').at(-1)} needs (${multiplier} × ${snapshot.functionTimeoutSeconds} s timeout + ${snapshot.batchingWindowSeconds} s batching window).`,
        elements: [
          {
            kind: 'visibility-timeout',
            description: `VisibilityTimeout ${snapshot.queueVisibilityTimeoutSeconds} s < ${needed} s`,
          },
        ],
      },
    };
  },
});
