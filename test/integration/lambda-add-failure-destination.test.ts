import { createHash } from 'node:crypto';
import { IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import {
  GetFunctionEventInvokeConfigCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { parseConfig } from '../../src/config';
import { defaultCatalog } from '../../src/catalog';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { createFunctionWithRole as seedFunction } from '../../src/local/lambda-function';
import { RecordingClients } from '../support/recording-clients';
import { answerCommands } from '../support/sdk-answers';

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
  const queueAttributes = async (name: string) => {
    const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    const tags = await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
    return { attributes: attrs.Attributes ?? {}, tags: tags.Tags ?? {} };
  };

  it('creates <function>-dlq whose queue policy lets the role send, sets it as OnFailure, writes no IAM; then is a no-op', async () => {
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
        'created dead-letter queue thumbnails-dlq (encrypted, tagged rampart:dead-letter-queue)',
        `allowed role ${fn.roleArn} to send to thumbnails-dlq (queue policy)`,
        `set on-failure destination of thumbnails to ${dlqArn}`,
      ],
    });
    expect(clients.writes()).not.toContain('PutRolePolicyCommand');
    expect(await invokeConfig('thumbnails')).toEqual({
      retries: undefined,
      destinations: { OnFailure: { Destination: dlqArn } },
    });
    const dlq = await queueAttributes('thumbnails-dlq');
    expect(dlq.attributes.SqsManagedSseEnabled).toBe('true');
    expect(dlq.tags).toEqual({ 'rampart:dead-letter-queue': fn.functionArn });
    expect(JSON.parse(dlq.attributes.Policy!).Statement).toEqual([
      {
        Sid: expect.stringMatching(/^RampartAllowRole[0-9a-f]{12}$/),
        Effect: 'Allow',
        Principal: { AWS: fn.roleArn },
        Action: 'sqs:SendMessage',
        Resource: dlqArn,
      },
    ]);
    expect(
      (await iam.send(new ListRolePoliciesCommand({ RoleName: fn.roleName }))).PolicyNames,
    ).toEqual([]);
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
    const designatedBefore = await queueAttributes('all-failures');
    const result = await configured.evaluator.handleEvent(event);
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.changes).toEqual([
      `set on-failure destination of reports to ${designated}`,
    ]);
    expect((await invokeConfig('reports')).destinations).toEqual({
      OnFailure: { Destination: designated },
    });
    // The designated queue is its owner's: no policy edit, no IAM grant.
    expect(await queueAttributes('all-failures')).toEqual(designatedBefore);
    expect(
      (await iam.send(new ListRolePoliciesCommand({ RoleName: fn.roleName }))).PolicyNames,
    ).toEqual([]);
  });

  it('with useDeadLetterConfig sets the legacy DeadLetterConfig to a designated queue', async () => {
    await seedFunction(iam, lambda, 'legacy-reports');
    // moto accepts UpdateFunctionConfiguration's DeadLetterConfig but does not return it from
    // GetFunctionConfiguration: the documented answer carries what was set.
    const dlqOf = new Map<string, unknown>();
    answerCommands(clients.get(LambdaClient, { region: REGION, account: '123456789012' }), {
      UpdateFunctionConfigurationCommand: async (input, moto) => {
        dlqOf.set(String(input.FunctionName), input.DeadLetterConfig);
        return moto!();
      },
      GetFunctionConfigurationCommand: async (input, moto) => {
        const out = await moto!();
        const dlq = dlqOf.get(String(input.FunctionName));
        return dlq ? { ...out, DeadLetterConfig: dlq } : out;
      },
    });
    const designated = (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: (await sqs.send(new CreateQueueCommand({ QueueName: 'legacy-failures' })))
            .QueueUrl!,
          AttributeNames: ['QueueArn'],
        }),
      )
    ).Attributes!.QueueArn!;
    const legacy = createRampart({
      clients,
      config: parseConfig(
        {
          policies: {
            'lambda-has-dlq': {
              parameters: { designatedQueueArn: designated, useDeadLetterConfig: true },
            },
          },
        },
        defaultCatalog(),
      ),
    });
    const result = await legacy.evaluator.handleEvent(
      cloudTrailEnvelope(
        {
          eventSource: 'lambda.amazonaws.com',
          eventName: 'DeleteFunctionEventInvokeConfig',
          requestParameters: { functionName: 'legacy-reports' },
          responseElements: null,
        },
        { region: REGION },
      ),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      status: 'reverted',
      changes: [`set DeadLetterConfig of legacy-reports to ${designated}`],
    });
    expect(dlqOf.get('legacy-reports')).toEqual({ TargetArn: designated });
  });

  it('attack: a function named after another team’s queue gets a fresh queue; their payments-dlq is untouched', async () => {
    const theirUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: 'payments-dlq',
          Attributes: {
            Policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'PaymentsOnly',
                  Effect: 'Allow',
                  Principal: { AWS: 'arn:aws:iam::123456789012:role/payments-team' },
                  Action: 'sqs:SendMessage',
                  Resource: `arn:aws:sqs:${REGION}:123456789012:payments-dlq`,
                },
              ],
            }),
          },
          tags: { team: 'payments' },
        }),
      )
    ).QueueUrl!;
    const theirsBefore = await queueAttributes('payments-dlq');
    const mallory = await seedFunction(iam, lambda, 'payments');
    const fresh = `payments-dlq-${createHash('sha256').update(mallory.functionArn).digest('hex').slice(0, 10)}`;
    const freshArn = `arn:aws:sqs:${REGION}:123456789012:${fresh}`;

    const result = await rampart.evaluator.handleEvent(updateEvent(mallory.functionArn));
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      status: 'reverted',
      changes: [
        `payments-dlq exists and was not created by Rampart for ${mallory.functionArn}: left untouched, using ${fresh} instead`,
        `created dead-letter queue ${fresh} (encrypted, tagged rampart:dead-letter-queue)`,
        `allowed role ${mallory.roleArn} to send to ${fresh} (queue policy)`,
        `set on-failure destination of payments to ${freshArn}`,
      ],
    });
    expect(await queueAttributes('payments-dlq')).toEqual(theirsBefore);
    expect(theirUrl).toMatch(/payments-dlq$/);
    expect((await invokeConfig('payments')).destinations).toEqual({
      OnFailure: { Destination: freshArn },
    });
    expect(
      (await iam.send(new ListRolePoliciesCommand({ RoleName: mallory.roleName }))).PolicyNames,
    ).toEqual([]);
  });
});
