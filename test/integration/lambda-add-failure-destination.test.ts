import { GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import {
  GetFunctionEventInvokeConfigCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { parseConfig } from '../../src/config';
import { defaultCatalog } from '../../src/catalog';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { createFunctionWithRole as seedFunction } from '../../src/local/lambda-function';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'ap-northeast-2'; // this file's own region in the shared moto server

describe('Lambda functions without a failure destination get one (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let lambda: LambdaClient;
  let iam: IAMClient;
  let sqs: SQSClient;

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    rampart = createRampart({ clients });
    lambda = new LambdaClient({ region: REGION });
    iam = new IAMClient({ region: REGION });
    sqs = new SQSClient({ region: REGION });
  });
  afterAll(() => {
    rampart.clients.destroy();
    for (const c of [lambda, iam, sqs]) c.destroy();
  });

  // Real UpdateFunctionConfiguration records name the function by its full ARN.
  const updateEvent = (functionArn: string) =>
    cloudTrailEnvelope(
      {
        eventSource: 'lambda.amazonaws.com',
        eventName: 'UpdateFunctionConfiguration20150331v2',
        requestParameters: { functionName: functionArn, environment: {} },
        responseElements: null,
      },
      { region: REGION },
    );
  const invokeConfig = async (name: string) => {
    const out = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name }));
    return { retries: out.MaximumRetryAttempts, destinations: out.DestinationConfig };
  };

  // moto appends a second PutFunctionEventInvokeConfig instead of replacing the first, so a
  // function that already has an event invoke config is covered by the mocked test in
  // test/remediators/lambda-add-failure-destination.test.ts (see docs/testing.md).
  it('creates <function>-dlq, lets the role send to it and sets it as OnFailure; then is a no-op', async () => {
    const fn = await seedFunction(iam, lambda, 'thumbnails');
    const bystander = await seedFunction(iam, lambda, 'bystander-fn');
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'bystander-fn',
        MaximumRetryAttempts: 0,
      }),
    );
    const bystanderBefore = await invokeConfig('bystander-fn');

    const result = await rampart.evaluator.handleEvent(updateEvent(fn.functionArn));
    const dlqArn = `arn:aws:sqs:${REGION}:123456789012:thumbnails-dlq`;
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'lambda-has-dlq',
      status: 'reverted',
      changes: [
        'created dead-letter queue thumbnails-dlq',
        `granted sqs:SendMessage on ${dlqArn} to role thumbnails-role (inline policy rampart-send-to-thumbnails-dlq)`,
        `set on-failure destination of thumbnails to ${dlqArn}`,
      ],
    });
    expect(await invokeConfig('thumbnails')).toEqual({
      retries: undefined,
      destinations: { OnFailure: { Destination: dlqArn } },
    });
    const grant = await iam.send(
      new GetRolePolicyCommand({
        RoleName: fn.roleName,
        PolicyName: 'rampart-send-to-thumbnails-dlq',
      }),
    );
    expect(JSON.parse(decodeURIComponent(grant.PolicyDocument!)).Statement).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: dlqArn },
    ]);
    expect(await invokeConfig('bystander-fn')).toEqual(bystanderBefore);
    expect(
      (await iam.send(new ListRolePoliciesCommand({ RoleName: bystander.roleName }))).PolicyNames,
    ).toEqual([]);

    clients.reset();
    const again = await rampart.evaluator.handleEvent(updateEvent(fn.functionArn));
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
  });

  it('uses a designated queue when configured, and flags DeleteFunctionEventInvokeConfig', async () => {
    const fn = await seedFunction(iam, lambda, 'reports');
    const designated = (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: (await sqs.send(new CreateQueueCommand({ QueueName: 'all-failures' })))
            .QueueUrl!,
          AttributeNames: ['QueueArn'],
        }),
      )
    ).Attributes!.QueueArn!;
    const configured = createRampart({
      clients,
      config: parseConfig(
        { policies: { 'lambda-has-dlq': { parameters: { designatedQueueArn: designated } } } },
        defaultCatalog(),
      ),
    });
    const event = cloudTrailEnvelope(
      {
        eventSource: 'lambda.amazonaws.com',
        eventName: 'DeleteFunctionEventInvokeConfig',
        requestParameters: { functionName: 'reports' },
        responseElements: null,
      },
      { region: REGION },
    );
    const result = await configured.evaluator.handleEvent(event);
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.changes).toEqual([
      `granted sqs:SendMessage on ${designated} to role ${fn.roleName} (inline policy rampart-send-to-all-failures)`,
      `set on-failure destination of reports to ${designated}`,
    ]);
    expect((await invokeConfig('reports')).destinations).toEqual({
      OnFailure: { Destination: designated },
    });
  });
});
