import { GetSubscriptionAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClients } from '../../aws/clients';
import { partitionOf, type ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { MalformedEventError } from '../../events/errors';
import { isAwsError, stringAt } from '../shared';
import { SNS_SCOPE } from '../sns-scope';
import { snsSubscriptionsFromTemplate } from './cloudformation';
import { snsSubscriptionEnumerator } from './enumerate';
import { SNS_SUBSCRIPTION, SnsSubscriptionSnapshot } from './snapshot';

export * from './snapshot';

export function snsSubscriptionRef(arn: string): ResourceRef {
  const [, , , region = '', account = ''] = arn.split(':');
  return { partition: partitionOf(region), account, region, type: SNS_SUBSCRIPTION, id: arn, arn };
}

/**
 * Subscribe answers with the subscription ARN, or "pending confirmation" for HTTP(S) and
 * email endpoints: those become a subscription only at ConfirmSubscription, which answers
 * with the ARN.
 */
const bySubscriptionArn: CloudTrailLocator = (record, where) => {
  const arn =
    stringAt(record.requestParameters, ['subscriptionArn']) ??
    stringAt(record.responseElements, ['subscriptionArn']);
  if (!arn) {
    throw new MalformedEventError(
      'detail.responseElements.subscriptionArn',
      'is missing (and so is requestParameters.subscriptionArn)',
      record.eventID,
    );
  }
  // Unconfirmed subscriptions deliver nothing and cannot be read or changed yet.
  if (!arn.startsWith('arn:')) return [];
  return [{ type: SNS_SUBSCRIPTION, ...where, id: arn }];
};

function deadLetterTargetOf(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const arn = (JSON.parse(raw) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    return typeof arn === 'string' && arn !== '' ? arn : undefined;
  } catch {
    return undefined;
  }
}

export async function readSubscription(
  clients: AwsClients,
  scope: { account: string; region: string },
  arn: string,
): Promise<SnsSubscriptionSnapshot | undefined> {
  let attrs: Record<string, string>;
  try {
    const out = await clients
      .get(SNSClient, scope)
      .send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
    attrs = out.Attributes ?? {};
  } catch (error) {
    if (isAwsError(error, 'NotFound', 'NotFoundException')) return undefined;
    throw error;
  }
  const target = deadLetterTargetOf(attrs.RedrivePolicy);
  return {
    type: SNS_SUBSCRIPTION,
    ref: snsSubscriptionRef(arn),
    subscriptionArn: arn,
    topicArn: attrs.TopicArn ?? arn.split(':').slice(0, 6).join(':'),
    protocol: (attrs.Protocol ?? '').toLowerCase(),
    ...(attrs.Endpoint ? { endpoint: attrs.Endpoint } : {}),
    ...(target ? { deadLetterTargetArn: target } : {}),
  };
}

export const snsSubscriptionType = defineResourceType<SnsSubscriptionSnapshot>({
  type: SNS_SUBSCRIPTION,
  eventSource: 'sns.amazonaws.com',
  iam: SNS_SCOPE,
  securityHubType: 'Other',
  configResourceTypes: [],
  configNotRecorded:
    'AWS Config records topics (AWS::SNS::Topic, the sns-topic type), not their subscriptions; events and the sweep cover subscriptions.',
  cloudFormationTypes: ['AWS::SNS::Subscription'],
  cloudTrail: {
    Subscribe: bySubscriptionArn,
    ConfirmSubscription: bySubscriptionArn,
    SetSubscriptionAttributes: bySubscriptionArn,
  },
  readActions: ['sns:GetSubscriptionAttributes'],
  collect: (clients, locator) => readSubscription(clients, locator, locator.id!),
  // No fromConfigItem: AWS Config does not record SNS subscriptions as their own items.
  fromTemplate: snsSubscriptionsFromTemplate,
  failureDestinations: (s) => (s.deadLetterTargetArn ? [s.deadLetterTargetArn] : []),
  enumerate: snsSubscriptionEnumerator,
});
