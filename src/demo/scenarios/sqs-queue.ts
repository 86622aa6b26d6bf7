import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readQueue } from '../../resources/sqs-queue';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';
import { demoQueue, shortName } from './queues';

const describeQueue = (ctx: DemoContext, name: string) => async () => {
  const q = await readQueue(ctx.clients, ctx, name);
  const redrive = q?.redrivePolicy;
  return [
    `${name}  ${redrive ? `RedrivePolicy → ${shortName(redrive.deadLetterTargetArn)} (maxReceiveCount ${redrive.maxReceiveCount})` : 'no RedrivePolicy'}`,
  ];
};

export const sqsQueueScenario: DemoScenario = {
  policyId: 'sqs-has-dlq',
  story: 'a team creates an encrypted FIFO work queue without a dead-letter queue',
  async seed(ctx) {
    const orders = await demoQueue(ctx, 'demo-orders.fifo', {
      FifoQueue: 'true',
      SqsManagedSseEnabled: 'true',
    });
    const billingDlq = await demoQueue(ctx, 'demo-billing-dlq');
    const billing = await demoQueue(ctx, 'demo-billing');
    await ctx.clients.get(SQSClient, ctx).send(
      new SetQueueAttributesCommand({
        QueueUrl: billing.url,
        Attributes: {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: billingDlq.arn,
            maxReceiveCount: 3,
          }),
        },
      }),
    );
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'sqs.amazonaws.com',
        eventName: 'CreateQueue',
        requestParameters: {
          queueName: 'demo-orders.fifo',
          attributes: { FifoQueue: 'true', SqsManagedSseEnabled: 'true' },
        },
        responseElements: { queueUrl: orders.url },
      }),
      describe: describeQueue(ctx, 'demo-orders.fifo'),
      describeTwin: describeQueue(ctx, 'demo-billing'),
    };
  },
};
