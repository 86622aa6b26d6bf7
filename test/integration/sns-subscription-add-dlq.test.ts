import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'ap-southeast-1'; // this file's own region in the shared moto server

describe('SNS subscriptions without a DLQ get one (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let sns: SNSClient;
  let sqs: SQSClient;

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    rampart = createRampart({ clients });
    sns = new SNSClient({ region: REGION });
    sqs = new SQSClient({ region: REGION });
  });
  afterAll(() => {
    rampart.clients.destroy();
    sns.destroy();
    sqs.destroy();
  });

  const subscribeEvent = (topicArn: string, endpoint: string, subscriptionArn: string) =>
    cloudTrailEnvelope(
      {
        eventSource: 'sns.amazonaws.com',
        eventName: 'Subscribe',
        requestParameters: { topicArn, protocol: 'sqs', endpoint, returnSubscriptionArn: true },
        responseElements: { subscriptionArn },
      },
      { region: REGION },
    );
  const attrs = async (arn: string) =>
    (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes;

  it('sets a <topic>-dlq whose policy allows the topic, leaves the other subscription alone, then is a no-op', async () => {
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'orders' }))).TopicArn!;
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'billing' }));
    const queueArn = (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl!, AttributeNames: ['QueueArn'] }),
      )
    ).Attributes!.QueueArn!;
    const sub = (
      await sns.send(
        new SubscribeCommand({
          TopicArn: topic,
          Protocol: 'sqs',
          Endpoint: queueArn,
          ReturnSubscriptionArn: true,
        }),
      )
    ).SubscriptionArn!;
    const other = (
      await sns.send(
        new SubscribeCommand({
          TopicArn: topic,
          Protocol: 'email',
          Endpoint: 'ops@example.com',
          ReturnSubscriptionArn: true,
        }),
      )
    ).SubscriptionArn!;
    const otherBefore = await attrs(other);

    const result = await rampart.evaluator.handleEvent(subscribeEvent(topic, queueArn, sub));
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'sns-subscription-has-dlq',
      status: 'reverted',
      changes: [
        'created dead-letter queue orders-dlq (encrypted, tagged rampart:dead-letter-queue)',
        expect.stringMatching(
          /^allowed sns.amazonaws.com from arn:aws:sns:.* to send to orders-dlq \(queue policy\)$/,
        ),
        expect.stringMatching(/^set RedrivePolicy of .* to orders-dlq$/),
      ],
    });
    const dlqUrl = queue.QueueUrl!.replace(/billing$/, 'orders-dlq');
    const dlq = (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn', 'Policy'] }),
      )
    ).Attributes!;
    expect(JSON.parse((await attrs(sub))!.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: dlq.QueueArn,
    });
    const statement = JSON.parse(dlq.Policy!).Statement[0];
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: dlq.QueueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': topic } },
    });
    expect(await attrs(other)).toEqual(otherBefore);

    clients.reset();
    const again = await rampart.evaluator.handleEvent(subscribeEvent(topic, queueArn, sub));
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.calls).toEqual(['GetSubscriptionAttributesCommand']);
  });

  it('skips an unconfirmed subscription: there is nothing to read yet', async () => {
    const result = await rampart.evaluator.handleEvent(
      subscribeEvent(
        'arn:aws:sns:ap-southeast-1:123456789012:orders',
        'https://example.com/hook',
        'pending confirmation',
      ),
    );
    expect(result).toMatchObject({ status: 'handled', resources: [] });
  });
});
