import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { queueEncryption } from '../../../policies/sqs-encrypted';
import { readQueue } from '../../resources/sqs-queue';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';
import { demoQueue } from './queues';

const describeEncryption = (ctx: DemoContext, name: string) => async () => {
  const q = await readQueue(ctx.clients, ctx, name);
  return [`${name}  encryption at rest: ${q ? (queueEncryption(q) ?? 'none') : '(gone)'}`];
};

export const sqsEncryptionScenario: DemoScenario = {
  policyId: 'sqs-encrypted',
  story: "someone turns off a payments queue's encryption while debugging",
  async seed(ctx) {
    // Both have a dead-letter queue: only their encryption differs.
    const parking = await demoQueue(ctx, 'demo-payments-dlq');
    const redrive = JSON.stringify({ deadLetterTargetArn: parking.arn, maxReceiveCount: 5 });
    const payments = await demoQueue(ctx, 'demo-payments', { RedrivePolicy: redrive });
    await demoQueue(ctx, 'demo-invoices', { RedrivePolicy: redrive });
    const attributes = { SqsManagedSseEnabled: 'false' };
    await ctx.clients
      .get(SQSClient, ctx)
      .send(new SetQueueAttributesCommand({ QueueUrl: payments.url, Attributes: attributes }));
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'sqs.amazonaws.com',
        eventName: 'SetQueueAttributes',
        requestParameters: { queueUrl: payments.url, attributes },
        responseElements: null,
      }),
      describe: describeEncryption(ctx, 'demo-payments'),
      describeTwin: describeEncryption(ctx, 'demo-invoices'),
    };
  },
};
