import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { readSubscription } from '../../resources/sns-subscription';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';
import { demoQueue, shortName } from './queues';

const describeSubscription = (ctx: DemoContext, arn: string, label: string) => async () => {
  const s = await readSubscription(ctx.clients, ctx, arn);
  return [
    `${label}  ${s?.deadLetterTargetArn ? `RedrivePolicy → ${shortName(s.deadLetterTargetArn)}` : 'no RedrivePolicy'}`,
  ];
};

export const snsSubscriptionScenario: DemoScenario = {
  policyId: 'sns-subscription-has-dlq',
  story: 'a queue subscribes to a topic with no dead-letter queue for failed deliveries',
  async seed(ctx) {
    const sns = ctx.clients.get(SNSClient, ctx);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'demo-order-events' }));
    const shipping = await demoQueue(ctx, 'demo-shipping');
    const invoicing = await demoQueue(ctx, 'demo-invoicing');
    const invoicingDlq = await demoQueue(ctx, 'demo-invoicing-dlq');
    const subscribe = async (endpoint: string, attributes: Record<string, string> = {}) =>
      (
        await sns.send(
          new SubscribeCommand({
            TopicArn,
            Protocol: 'sqs',
            Endpoint: endpoint,
            Attributes: attributes,
            ReturnSubscriptionArn: true,
          }),
        )
      ).SubscriptionArn!;
    const violating = await subscribe(shipping.arn);
    const twin = await subscribe(invoicing.arn, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: invoicingDlq.arn }),
    });
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'sns.amazonaws.com',
        eventName: 'Subscribe',
        requestParameters: {
          topicArn: TopicArn,
          protocol: 'sqs',
          endpoint: shipping.arn,
          returnSubscriptionArn: true,
        },
        responseElements: { subscriptionArn: violating },
      }),
      describe: describeSubscription(ctx, violating, 'demo-order-events → demo-shipping'),
      describeTwin: describeSubscription(ctx, twin, 'demo-order-events → demo-invoicing'),
    };
  },
};
