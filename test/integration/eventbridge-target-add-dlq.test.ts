import {
  CreateEventBusCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'ap-northeast-1'; // this file's own region in the shared moto server

describe('EventBridge targets without a DLQ get one (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let events: EventBridgeClient;
  let sqs: SQSClient;

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    rampart = createRampart({ clients });
    events = new EventBridgeClient({ region: REGION });
    sqs = new SQSClient({ region: REGION });
  });
  afterAll(() => {
    rampart.clients.destroy();
    events.destroy();
    sqs.destroy();
  });

  const queueArn = async (name: string) => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    return (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
  };
  const targets = async (rule: string, bus: string) =>
    (await events.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: bus }))).Targets ??
    [];
  const putTargetsEvent = (rule: string, bus: string, ids: string[]) =>
    cloudTrailEnvelope(
      {
        eventSource: 'events.amazonaws.com',
        eventName: 'PutTargets',
        requestParameters: { rule, eventBusName: bus, targets: ids.map((id) => ({ id })) },
        responseElements: { failedEntryCount: 0, failedEntries: [] },
      },
      { region: REGION },
    );

  it('re-puts only the offending target with a DeadLetterConfig on a custom bus, then is a no-op', async () => {
    await events.send(new CreateEventBusCommand({ Name: 'orders-bus' }));
    const pattern = JSON.stringify({ source: ['orders'] });
    await events.send(
      new PutRuleCommand({ Name: 'nightly', EventBusName: 'orders-bus', EventPattern: pattern }),
    );
    await events.send(
      new PutRuleCommand({ Name: 'bystander', EventBusName: 'orders-bus', EventPattern: pattern }),
    );
    const work = await queueArn('work');
    const existingDlq = await queueArn('existing-dlq');
    await events.send(
      new PutTargetsCommand({
        Rule: 'nightly',
        EventBusName: 'orders-bus',
        Targets: [
          {
            Id: 'work',
            Arn: work,
            InputPath: '$.detail',
            RetryPolicy: { MaximumRetryAttempts: 3 },
          },
          { Id: 'covered', Arn: work, DeadLetterConfig: { Arn: existingDlq } },
        ],
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'bystander',
        EventBusName: 'orders-bus',
        Targets: [{ Id: 'b', Arn: work }],
      }),
    );
    const bystanderBefore = await targets('bystander', 'orders-bus');

    const result = await rampart.evaluator.handleEvent(
      putTargetsEvent('nightly', 'orders-bus', ['work', 'covered']),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'eventbridge-target-has-dlq',
      status: 'reverted',
      changes: [
        'created dead-letter queue nightly-dlq (encrypted, tagged rampart:dead-letter-queue)',
        expect.stringMatching(
          /^allowed events.amazonaws.com from arn:aws:events:ap-northeast-1:\d+:rule\/orders-bus\/nightly to send to nightly-dlq \(queue policy\)$/,
        ),
        'set DeadLetterConfig of target work to nightly-dlq',
      ],
    });
    const after = await targets('nightly', 'orders-bus');
    const dlqArn = work.replace(/work$/, 'nightly-dlq');
    expect(after.find((t) => t.Id === 'work')).toMatchObject({
      Arn: work,
      InputPath: '$.detail',
      RetryPolicy: { MaximumRetryAttempts: 3 },
      DeadLetterConfig: { Arn: dlqArn },
    });
    expect(after.find((t) => t.Id === 'covered')?.DeadLetterConfig).toEqual({ Arn: existingDlq });
    expect(await targets('bystander', 'orders-bus')).toEqual(bystanderBefore);

    clients.reset();
    const again = await rampart.evaluator.handleEvent(
      putTargetsEvent('nightly', 'orders-bus', ['work']),
    );
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
    expect(await targets('nightly', 'orders-bus')).toEqual(after);
  });

  it('reads a PutRule on the default bus; a rule without targets is not applicable', async () => {
    await events.send(new PutRuleCommand({ Name: 'empty', ScheduleExpression: 'rate(1 day)' }));
    const result = await rampart.evaluator.handleEvent(
      cloudTrailEnvelope(
        {
          eventSource: 'events.amazonaws.com',
          eventName: 'PutRule',
          requestParameters: { name: 'empty', scheduleExpression: 'rate(1 day)' },
        },
        { region: REGION },
      ),
    );
    expect(result.status === 'handled' && result.resources[0]).toMatchObject({
      resource: { id: 'empty', type: 'AWS::Events::Rule' },
      evaluations: [{ status: 'not-applicable', reason: 'the rule has no targets' }],
      outcomes: [],
    });
  });
});
