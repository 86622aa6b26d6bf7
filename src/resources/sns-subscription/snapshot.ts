/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

export const SNS_SUBSCRIPTION = 'AWS::SNS::Subscription' as const;

export interface SnsSubscriptionSnapshot extends Snapshot {
  type: typeof SNS_SUBSCRIPTION;
  subscriptionArn: string;
  topicArn: string;
  protocol: string;
  endpoint?: string;
  /** The subscription's DLQ (RedrivePolicy.deadLetterTargetArn), if any. */
  deadLetterTargetArn?: string;
}
