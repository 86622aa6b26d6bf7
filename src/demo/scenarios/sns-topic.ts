import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { readTopic } from '../../resources/sns-topic';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

const describeTopic = (ctx: DemoContext, name: string) => async () => {
  const t = await readTopic(ctx.clients, ctx, name);
  if (!t) return [`${name}  (gone)`];
  return [`${name}  ${t.kmsMasterKeyId ? `encrypted with ${t.kmsMasterKeyId}` : 'NOT encrypted'}`];
};

export const snsTopicScenario: DemoScenario = {
  policyId: 'sns-topic-encrypted',
  story: 'a team creates a topic for customer notifications without encryption',
  async seed(ctx) {
    const sns = ctx.clients.get(SNSClient, ctx);
    const arn = (await sns.send(new CreateTopicCommand({ Name: 'demo-customer-notices' })))
      .TopicArn!;
    const twin = (await sns.send(new CreateTopicCommand({ Name: 'demo-invoice-notices' })))
      .TopicArn!;
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: twin,
        AttributeName: 'KmsMasterKeyId',
        AttributeValue: 'alias/aws/sns',
      }),
    );
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'sns.amazonaws.com',
        eventName: 'CreateTopic',
        requestParameters: { name: 'demo-customer-notices' },
        responseElements: { topicArn: arn },
      }),
      describe: describeTopic(ctx, 'demo-customer-notices'),
      describeTwin: describeTopic(ctx, 'demo-invoice-notices'),
    };
  },
};
