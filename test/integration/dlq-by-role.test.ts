import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { AuditLog, createLogger } from '../../src/audit';
import { parseConfig } from '../../src/config';
import { Evaluator } from '../../src/engine/evaluator';
import { defaultCatalog } from '../../src/catalog';
import { Catalog } from '../../src/engine/catalog';
import { FailureSenders } from '../../src/engine/failure-senders';
import { createFunctionWithRole } from '../../src/local/lambda-function';
import { ACCOUNT, cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'ap-northeast-3'; // this file's own region in the shared moto server
const catalog = defaultCatalog();

/**
 * A queue that receives another service's failures is a dead-letter queue whatever its
 * name, on the event and Config paths too: giving it a DLQ of its own would be Rampart
 * changing a resource for a reason that does not hold.
 */
describe('dead-letter queues known by their role on the event path (moto)', () => {
  let sqs: SQSClient;
  let lambda: LambdaClient;
  let iam: IAMClient;
  let sns: SNSClient;
  let events: EventBridgeClient;
  let clients: RecordingClients;
  let rampart: Rampart;
  const urls: Record<string, string> = {};
  const arns: Record<string, string> = {};

  async function queue(name: string) {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    urls[name] = url;
    arns[name] = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
  }
  const queueNames = async () =>
    ((await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).map((u) => u.split('/').pop());
  const setAttributesEvent = (name: string) =>
    cloudTrailEnvelope(
      {
        eventSource: 'sqs.amazonaws.com',
        eventName: 'SetQueueAttributes',
        requestParameters: { queueUrl: urls[name], attributes: { RedrivePolicy: '' } },
        responseElements: null,
      },
      { region: REGION },
    );

  beforeAll(async () => {
    sqs = new SQSClient({ region: REGION });
    lambda = new LambdaClient({ region: REGION });
    iam = new IAMClient({ region: REGION });
    sns = new SNSClient({ region: REGION });
    events = new EventBridgeClient({ region: REGION });
    for (const name of [
      'reports-failures',
      'alerts-parked',
      'orders-parking',
      'plain-work',
      'invoices',
      'alerts-consumer',
    ]) {
      await queue(name);
    }
    await createFunctionWithRole(iam, lambda, 'event-role-reports');
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'event-role-reports',
        DestinationConfig: { OnFailure: { Destination: arns['reports-failures'] } },
      }),
    );
    // Look-alike: a destination whose ARN only starts with the queue "invoices".
    await createFunctionWithRole(iam, lambda, 'event-role-invoices');
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'event-role-invoices',
        DestinationConfig: { OnFailure: { Destination: `${arns['invoices']}-old` } },
      }),
    );
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'role-alerts' }))).TopicArn!;
    await sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'sqs',
        Endpoint: arns['alerts-consumer'],
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arns['alerts-parked'] }),
        },
      }),
    );
    // A rule on a custom bus: senders are found on every bus, not only the default one.
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    await events.send(
      new PutRuleCommand({
        Name: 'order-created',
        EventBusName: 'orders',
        EventPattern: JSON.stringify({ source: ['orders'] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'order-created',
        EventBusName: 'orders',
        Targets: [
          {
            Id: 'work',
            Arn: arns['plain-work'],
            DeadLetterConfig: { Arn: arns['orders-parking'] },
          },
        ],
      }),
    );
    clients = new RecordingClients({ maxAttempts: 1 });
    // The queues' dead-letter role is what is tested: their encryption policy stays out.
    rampart = createRampart({
      clients,
      config: parseConfig({ policies: { 'sqs-encrypted': { enabled: false } } }, catalog),
    });
  });
  afterAll(() => {
    rampart.clients.destroy();
    for (const c of [sqs, lambda, iam, sns, events]) c.destroy();
  });

  it.each([
    ['reports-failures', 'a function on-failure destination'],
    ['alerts-parked', 'an SNS subscription redrive'],
    ['orders-parking', 'an EventBridge target DLQ on a custom bus'],
  ])('%s (%s) is not applicable; no queue is created', async (name) => {
    const before = await queueNames();
    clients.reset();
    const result = await rampart.evaluator.handleEvent(setAttributesEvent(name));
    expect(result.status === 'handled' && result.resources[0]).toMatchObject({
      evaluations: [
        {
          policyId: 'sqs-has-dlq',
          status: 'not-applicable',
          reason: 'is itself a dead-letter queue (receives the failures of 1 resource(s))',
        },
      ],
      outcomes: [],
    });
    expect(clients.writes()).toEqual([]);
    expect((await queueNames()).sort()).toEqual(before.sort());
  });

  it('a Config item change for such a queue is not applicable too', async () => {
    const before = await queueNames();
    const result = await rampart.evaluator.handleEvent(configItemEvent('reports-failures'));
    expect(result.status === 'handled' && result.resources[0]!.evaluations).toEqual([
      expect.objectContaining({ status: 'not-applicable' }),
    ]);
    expect((await queueNames()).sort()).toEqual(before.sort());
  });

  it('attack: a queue whose ARN only begins a destination ARN is not a dead-letter queue; it gets one', async () => {
    const result = await rampart.evaluator.handleEvent(setAttributesEvent('invoices'));
    expect(result.status === 'handled' && result.resources[0]!.outcomes).toEqual([
      expect.objectContaining({ policyId: 'sqs-has-dlq', status: 'reverted' }),
    ]);
    expect(await queueNames()).toContain('invoices-dlq');
  });

  function configItemEvent(name: string) {
    return {
      version: '0',
      id: `config-${name}`,
      'detail-type': 'Config Configuration Item Change',
      source: 'aws.config',
      account: ACCOUNT,
      time: new Date().toISOString(),
      region: REGION,
      resources: [arns[name]],
      detail: {
        recordVersion: '1.3',
        messageType: 'ConfigurationItemChangeNotification',
        configurationItemDiff: { changedProperties: {}, changeType: 'UPDATE' },
        notificationCreationTime: new Date().toISOString(),
        configurationItem: {
          relatedEvents: [],
          relationships: [],
          configuration: { QueueArn: arns[name], VisibilityTimeout: '30' },
          supplementaryConfiguration: {},
          tags: {},
          configurationItemVersion: '1.3',
          configurationItemCaptureTime: new Date().toISOString(),
          configurationStateId: Date.now(),
          awsAccountId: ACCOUNT,
          configurationItemStatus: 'OK',
          resourceType: 'AWS::SQS::Queue',
          resourceId: urls[name],
          resourceName: name,
          ARN: arns[name],
          awsRegion: REGION,
          availabilityZone: 'Not Applicable',
          configurationStateMd5Hash: '',
        },
      },
    };
  }

  it('one listing answers the violations of a burst; a later one lists again', async () => {
    let now = 1_000_000;
    const lookup = new FailureSenders({ catalog, clients }, { reuseMs: 10_000, now: () => now });
    const ref = (name: string) => ({
      partition: 'aws',
      account: ACCOUNT,
      region: REGION,
      type: 'AWS::SQS::Queue',
      id: urls[name]!,
      arn: arns[name]!,
    });
    clients.reset();
    const burst = await Promise.all(
      ['reports-failures', 'plain-work', 'alerts-parked'].map((n) => lookup.sendersOf(ref(n))),
    );
    expect(burst).toEqual([
      [`arn:aws:lambda:${REGION}:${ACCOUNT}:function:event-role-reports`],
      [],
      [expect.stringMatching(new RegExp(`^arn:aws:sns:${REGION}:${ACCOUNT}:role-alerts:`))],
    ]);
    const listFunctions = () => clients.calls.filter((c) => c === 'ListFunctionsCommand').length;
    expect(listFunctions()).toBe(1);
    now += 9_999;
    await lookup.sendersOf(ref('plain-work'));
    expect(listFunctions()).toBe(1);
    now += 2;
    await lookup.sendersOf(ref('plain-work'));
    expect(listFunctions()).toBe(2);
  });

  it('more possible senders than the bound: the lookup fails with the reason, never "none"', async () => {
    const lookup = new FailureSenders({ catalog, clients }, { maxListed: 2 });
    await expect(
      lookup.sendersOf({
        partition: 'aws',
        account: ACCOUNT,
        region: REGION,
        type: 'AWS::SQS::Queue',
        id: urls['plain-work']!,
        arn: arns['plain-work']!,
      }),
    ).rejects.toThrow(/more than 2 possible failure senders in 123456789012 ap-northeast-3/);
  });

  it('a sender listing that fails makes the verdict an error: nothing is created, and it is not cached', async () => {
    const lambdaType = catalog.resourceTypes.get('AWS::Lambda::Function')!;
    let failures = 1;
    const flaky = {
      ...lambdaType,
      enumerate: {
        ...lambdaType.enumerate!,
        list: (c: Parameters<typeof lambdaType.collect>[0], scope: never) => {
          if (failures-- > 0) throw new Error('ThrottlingException: Rate exceeded');
          return lambdaType.enumerate!.list(c, scope);
        },
      },
    };
    const flakyCatalog = new Catalog({
      resourceTypes: [catalog.resourceTypes.get('AWS::SQS::Queue')!, flaky],
      policies: [catalog.policies.get('sqs-has-dlq')!],
      remediators: [catalog.remediators.get('sqs-add-dlq')!],
    });
    const evaluator = new Evaluator({
      catalog: flakyCatalog,
      config: parseConfig({}, flakyCatalog),
      clients,
      audit: new AuditLog(createLogger({ stream: new PassThrough() })),
    });
    await queue('retry-later');
    const before = await queueNames();
    clients.reset();
    const failed = await evaluator.handleEvent(setAttributesEvent('retry-later'));
    expect(failed.status === 'handled' && failed.resources[0]!.evaluations).toEqual([
      expect.objectContaining({
        status: 'error',
        error: expect.stringMatching(
          /^cannot read the failure senders the verdict depends on: ThrottlingException/,
        ) as unknown,
      }),
    ]);
    expect(clients.writes()).toEqual([]);
    expect(await queueNames()).toEqual(before);
    // The next event lists again (the failure was not kept) and finds no sender: a violation.
    const again = await evaluator.handleEvent(setAttributesEvent('retry-later'), {
      dryRun: true,
    });
    expect(again.status === 'handled' && again.resources[0]!.evaluations).toEqual([
      expect.objectContaining({ status: 'violation' }),
    ]);
  });
});
