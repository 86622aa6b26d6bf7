import { GetTopicAttributesCommand, paginateListTopics, SNSClient } from '@aws-sdk/client-sns';
import type { ResourceEnumerator } from '../../engine/definitions';
import { readEach } from '../enumeration';
import { topicSnapshot, type SnsTopicSnapshot } from './index';

/** ListTopics (100 per page) gives ARNs only; GetTopicAttributes per topic says its key. */
export const snsTopicEnumerator: ResourceEnumerator<SnsTopicSnapshot> = {
  readActions: ['sns:ListTopics', 'sns:GetTopicAttributes'],
  async *list(clients, scope) {
    const client = clients.get(SNSClient, scope);
    for await (const page of paginateListTopics({ client }, {})) {
      const arns = (page.Topics ?? []).flatMap((t) => (t.TopicArn ? [t.TopicArn] : []));
      yield* await readEach(scope, arns, async (TopicArn) => {
        const out = await client.send(new GetTopicAttributesCommand({ TopicArn }));
        return topicSnapshot(scope, TopicArn, out.Attributes ?? {});
      });
    }
  },
};
