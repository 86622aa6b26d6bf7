import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'ap-southeast-6'; // shared with the KMS and logs tests: no topic elsewhere in it

/** CreateTopic as CloudTrail records it: the new topic's ARN in the response. */
const createTopicEvent = (name: string, topicArn: string) =>
  cloudTrailEnvelope(
    {
      eventSource: 'sns.amazonaws.com',
      eventName: 'CreateTopic',
      requestParameters: { name },
      responseElements: { topicArn },
    },
    { region: REGION },
  );

describe('SNS topics are encrypted at rest (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let sns: SNSClient;
  const catalog = defaultCatalog();

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'sns-topic-encrypted' ? {} : { enabled: false },
      ]),
    );
    rampart = createRampart({
      clients,
      config: parseConfig(
        { policies: only, compliance: { sweep: { regions: [REGION] } } },
        catalog,
      ),
    });
    sns = new SNSClient({ region: REGION });
  });
  afterAll(() => {
    clients.destroy();
    sns.destroy();
  });
  const topic = async (name: string) =>
    (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
  const keyOf = async (arn: string) =>
    (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes?.KmsMasterKeyId;

  it('encrypts a new topic with alias/aws/sns, and no other; then is a no-op', async () => {
    const arn = await topic('sns-enc-orders');
    const bystander = await topic('sns-enc-bystander');
    const result = await rampart.evaluator.handleEvent(createTopicEvent('sns-enc-orders', arn));
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'sns-topic-encrypted',
      status: 'reverted',
      changes: ['encrypted topic sns-enc-orders with alias/aws/sns'],
    });
    expect(await keyOf(arn)).toBe('alias/aws/sns');
    expect(await keyOf(bystander)).toBeUndefined();

    clients.reset();
    const again = await rampart.evaluator.handleEvent(createTopicEvent('sns-enc-orders', arn));
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
    // Tidy for the sweep below.
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: bystander,
        AttributeName: 'KmsMasterKeyId',
        AttributeValue: 'alias/team-key',
      }),
    );
  });

  it('never encrypts a topic EventBridge publishes to with a key EventBridge cannot use', async () => {
    const arn = await topic('sns-enc-alarms');
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: arn,
        AttributeName: 'Policy',
        AttributeValue: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: arn,
            },
          ],
        }),
      }),
    );
    clients.reset();
    const result = await rampart.evaluator.handleEvent(createTopicEvent('sns-enc-alarms', arn));
    const outcome = result.status === 'handled' ? result.resources[0]!.outcomes[0] : undefined;
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(outcome?.error).toContain('events.amazonaws.com publish to topic sns-enc-alarms');
    expect(clients.writes()).toEqual([]);
    expect(await keyOf(arn)).toBeUndefined();
  });

  it('attack: an event naming a same-named topic of another account leaves this account alone', async () => {
    const arn = await topic('sns-enc-lookalike');
    clients.reset();
    const foreignArn = arn.replace(':123456789012:', ':999999999999:');
    const result = await rampart.evaluator.handleEvent(
      createTopicEvent('sns-enc-lookalike', foreignArn),
    );
    expect(result.status === 'handled' && result.resources[0]!.resource.account).toBe(
      '999999999999',
    );
    expect(clients.writes()).toEqual([]);
    expect(await keyOf(arn)).toBeUndefined();
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: arn,
        AttributeName: 'KmsMasterKeyId',
        AttributeValue: 'alias/team-key',
      }),
    );
  });

  it('the sweep finds the unencrypted topic', async () => {
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([
      ['sns-enc-alarms', 'violation'],
    ]);
  });
});
