/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

export const LAMBDA_EVENT_SOURCE = 'AWS::Lambda::EventSourceMapping' as const;

/**
 * One event source mapping with what a cross-resource verdict needs of both ends: the
 * consuming function's timeout and, for an SQS source, the queue's visibility timeout.
 */
export interface LambdaEventSourceSnapshot extends Snapshot {
  type: typeof LAMBDA_EVENT_SOURCE;
  uuid: string;
  functionArn: string;
  eventSourceArn: string;
  /** `Enabled`, `Disabled`, `Creating`…; templates say nothing (treated as enabled). */
  state?: string;
  /** MaximumBatchingWindowInSeconds (0 unless set). */
  batchingWindowSeconds: number;
  /** The function's timeout; absent when the function could not be found. */
  functionTimeoutSeconds?: number;
  /** The SQS queue's visibility timeout; absent for other sources or a queue not found. */
  queueVisibilityTimeoutSeconds?: number;
}

/** The source is an SQS queue (`arn:<partition>:sqs:…`). */
export const isSqsSource = (arn: string): boolean => /^arn:[a-z-]+:sqs:/.test(arn);
