import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import {
  SNS_SUBSCRIPTION,
  type SnsSubscriptionSnapshot,
} from '../src/resources/sns-subscription/snapshot';

export const snsSubscriptionHasDlqParameters = z.strictObject({
  protocols: z
    .array(
      z.enum([
        'lambda',
        'sqs',
        'http',
        'https',
        'firehose',
        'application',
        'sms',
        'email',
        'email-json',
      ]),
    )
    .default(['lambda', 'sqs', 'http', 'https'])
    .describe('Protocols whose failed deliveries SNS can redrive to a DLQ.'),
});
export type SnsSubscriptionHasDlqParameters = z.output<typeof snsSubscriptionHasDlqParameters>;

export const snsSubscriptionHasDlq = definePolicy<
  SnsSubscriptionSnapshot,
  SnsSubscriptionHasDlqParameters
>({
  id: 'sns-subscription-has-dlq',
  title: 'SNS subscriptions to Lambda, SQS and HTTP(S) have a dead-letter queue',
  description:
    'A subscription with one of the configured protocols (default lambda, sqs, http, https) and no RedrivePolicy violates.',
  rationale:
    'When SNS cannot deliver to an endpoint after its retries, the message is discarded; a subscription dead-letter queue keeps it for inspection and replay.',
  severity: 'medium',
  pillar: 'reliability',
  controls: [{ framework: 'aws-well-architected', id: 'REL05-BP04' }],
  resourceType: SNS_SUBSCRIPTION,
  triggers: ['Subscribe', 'ConfirmSubscription', 'SetSubscriptionAttributes'],
  defaultMode: 'enforce',
  parameters: snsSubscriptionHasDlqParameters,
  remediatorId: 'sns-subscription-add-dlq',
  evaluate(snapshot, params) {
    if (!(params.protocols as string[]).includes(snapshot.protocol)) {
      return notApplicable(`protocol ${snapshot.protocol} is not one this policy covers`);
    }
    if (snapshot.deadLetterTargetArn) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `SNS subscription ${snapshot.subscriptionArn} (${snapshot.protocol} to ${snapshot.endpoint ?? 'unknown endpoint'}) has no dead-letter queue: undeliverable messages are lost.`,
        elements: [
          {
            kind: 'redrive-policy',
            description: `${snapshot.protocol} subscription without RedrivePolicy`,
          },
        ],
      },
    };
  },
});
