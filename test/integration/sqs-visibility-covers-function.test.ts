import { IAMClient } from '@aws-sdk/client-iam';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { createLambdaRole, zipOf } from '../../src/local/lambda-function';
import { Sweeper } from '../../src/sweep/sweep';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

// Shared with the Lambda access and DynamoDB tests; no event source mapping elsewhere in it.
const REGION = 'us-west-1';

describe("an SQS queue's visibility timeout covers its consuming function (moto)", () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  let iam: IAMClient;
  let roleArn: string;
  const catalog = defaultCatalog();

  beforeAll(async () => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'sqs-visibility-covers-function' ? {} : { enabled: false },
      ]),
    );
    rampart = createRampart({
      clients,
      config: parseConfig(
        { policies: only, compliance: { sweep: { regions: [REGION] } } },
        catalog,
      ),
    });
    lambda = new LambdaClient({ region: REGION });
    sqs = new SQSClient({ region: REGION });
    iam = new IAMClient({ region: REGION });
    roleArn = (await createLambdaRole(iam, 'it-esm-fn-role')).Role!.Arn!;
  });
  afterAll(() => {
    clients.destroy();
    lambda.destroy();
    sqs.destroy();
    iam.destroy();
  });

  /** A queue consumed by a function; no message is ever sent (moto would need Docker). */
  const consumer = async (
    name: string,
    functionTimeout: number,
    visibility: number,
    window = 0,
  ) => {
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: `${name}-fn`,
        Runtime: 'nodejs22.x',
        Role: roleArn,
        Handler: 'index.handler',
        Timeout: functionTimeout,
        Code: { ZipFile: zipOf('index.js', 'exports.handler = async () => 1;\n') },
      }),
    );
    const url = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: `${name}-queue`,
          Attributes: { VisibilityTimeout: String(visibility) },
        }),
      )
    ).QueueUrl!;
    const queueArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    const mapping = await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: queueArn,
        FunctionName: fn.FunctionArn,
        BatchSize: 10,
        ...(window ? { MaximumBatchingWindowInSeconds: window } : {}),
      }),
    );
    return mapping.UUID!;
  };
  // As CloudTrail records it: the request names function and queue, the response the UUID.
  const created = (uuid: string, functionName: string) =>
    cloudTrailEnvelope(
      {
        eventSource: 'lambda.amazonaws.com',
        eventName: 'CreateEventSourceMapping20150331',
        requestParameters: { functionName, batchSize: 10 },
        responseElements: { uUID: uuid, state: 'Creating' },
      },
      { region: REGION },
    );

  it('reports a queue whose visibility timeout is shorter than 6 × the timeout + the window; writes nothing', async () => {
    const uuid = await consumer('esm-short', 60, 120, 5);
    clients.reset();
    const result = await rampart.evaluator.handleEvent(created(uuid, 'esm-short-fn'));
    expect(result.status === 'handled' && result.resources[0]!.evaluations[0]).toMatchObject({
      policyId: 'sqs-visibility-covers-function',
      status: 'violation',
      violation: {
        message:
          'Queue esm-short-queue has a visibility timeout of 120 s, shorter than the 365 s its consumer esm-short-fn needs (6 × 60 s timeout + 5 s batching window).',
      },
    });
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'notified',
    );
    expect(clients.writes()).toEqual([]);
  });

  it('a queue that covers its function complies; exactly 6 × the timeout is enough', async () => {
    const uuid = await consumer('esm-exact', 30, 180);
    const result = await rampart.evaluator.handleEvent(created(uuid, 'esm-exact-fn'));
    expect(result.status === 'handled' && result.resources[0]!.evaluations[0]!.status).toBe(
      'compliant',
    );
  });

  it('attack: a forged UUID is not-found, and nothing is read of any queue', async () => {
    clients.reset();
    const result = await rampart.evaluator.handleEvent(
      created('00000000-0000-4000-8000-000000000000', 'esm-short-fn'),
    );
    expect(result.status === 'handled' && result.resources[0]!.status).toBe('not-found');
    expect(clients.calls).toEqual(['GetEventSourceMappingCommand']);
  });

  it('the sweep lists every mapping once and reports only the short one', async () => {
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings.map((f) => [f.policy, f.status, f.message.split(' ')[1]])).toEqual([
      ['sqs-visibility-covers-function', 'violation', 'esm-short-queue'],
    ]);
  });
});
