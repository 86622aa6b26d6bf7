import { SNSClient, paginateListSubscriptions } from '@aws-sdk/client-sns';
import type { ResourceEnumerator } from '../../engine/definitions';
import { readEach } from '../enumeration';
import { readSubscription, type SnsSubscriptionSnapshot } from './index';

/**
 * ListSubscriptions (100 a page) names every subscription of the region; the redrive
 * policy needs GetSubscriptionAttributes each. Unconfirmed subscriptions have no ARN yet.
 */
export const snsSubscriptionEnumerator: ResourceEnumerator<SnsSubscriptionSnapshot> = {
  readActions: ['sns:ListSubscriptions', 'sns:GetSubscriptionAttributes'],
  async *list(clients, scope) {
    const client = clients.get(SNSClient, scope);
    for await (const page of paginateListSubscriptions({ client }, {})) {
      const arns = (page.Subscriptions ?? [])
        .map((s) => s.SubscriptionArn)
        .filter((arn): arn is string => arn?.startsWith('arn:') === true);
      yield* await readEach(scope, arns, (arn) => readSubscription(clients, scope, arn));
    }
  },
};
