/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

export const SQS_QUEUE = 'AWS::SQS::Queue' as const;
/** Tag Rampart puts on the dead-letter queues it creates; its value says whose DLQ it is. */
export const DEAD_LETTER_TAG = 'rampart:dead-letter-queue';

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface SqsQueueSnapshot extends Snapshot {
  type: typeof SQS_QUEUE;
  queueName: string;
  queueUrl: string;
  queueArn: string;
  fifo: boolean;
  redrivePolicy?: RedrivePolicy;
  /** Encryption to copy onto a new dead-letter queue. */
  kmsMasterKeyId?: string;
  kmsDataKeyReusePeriodSeconds?: string;
  sqsManagedSse: boolean;
  /** Queues that use this one as their DLQ; undefined when unknown (Config items). */
  deadLetterSourceQueueUrls?: string[];
  /** Undefined when not read: the sweep reads a queue's tags only for a violation. */
  tags?: Record<string, string>;
}
