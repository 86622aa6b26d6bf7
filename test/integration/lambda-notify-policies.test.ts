import { IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient, type Runtime } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { createLambdaRole, zipOf } from '../../src/local/lambda-function';
import { Sweeper } from '../../src/sweep/sweep';
import { envelopeOf, loadSample } from '../support/samples';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'ap-east-2'; // this file's own region in the shared moto server
const POLICIES = [
  'lambda-runtime-supported',
  'lambda-tracing-active',
  'lambda-arm64',
  'lambda-memory-above-minimum',
];

describe('Lambda runtime, tracing, architecture and memory are reported, never changed (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let lambda: LambdaClient;
  let iam: IAMClient;
  let roleArn: string;
  const catalog = defaultCatalog();

  beforeAll(async () => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const config = parseConfig(
      {
        policies: Object.fromEntries(
          [...catalog.policies.keys()].map((p) => [
            p,
            p === 'lambda-runtime-supported'
              ? { parameters: { asOf: '2026-12-04' } }
              : POLICIES.includes(p)
                ? {}
                : { enabled: false },
          ]),
        ),
        compliance: { sweep: { regions: [REGION] } },
      },
      catalog,
    );
    rampart = createRampart({ clients, config });
    lambda = new LambdaClient({ region: REGION });
    iam = new IAMClient({ region: REGION });
    roleArn = (await createLambdaRole(iam, 'it-notify-fn-role')).Role!.Arn!;
  });
  afterAll(() => {
    clients.destroy();
    lambda.destroy();
    iam.destroy();
  });
  const create = (
    name: string,
    over: { runtime: string; arch: string; tracing: string; memory: number },
  ) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: over.runtime as Runtime,
        Architectures: [over.arch as 'arm64'],
        TracingConfig: { Mode: over.tracing as 'Active' },
        MemorySize: over.memory,
        Role: roleArn,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf('index.js', 'exports.handler = async () => 1;\n') },
      }),
    );

  it('the real UpdateFunctionConfiguration sample (function named by ARN) → four notices, no write', async () => {
    const fn = await create('it-notify-legacy', {
      runtime: 'python3.9',
      arch: 'x86_64',
      tracing: 'PassThrough',
      memory: 128,
    });
    const sample = loadSample('stratus__UpdateFunctionConfiguration20150331v2__1.json');
    clients.reset();
    const result = await rampart.evaluator.handleEvent(
      envelopeOf({
        ...sample,
        awsRegion: REGION,
        recipientAccountId: '123456789012',
        requestParameters: {
          ...(sample.requestParameters as object),
          functionName: fn.FunctionArn,
        },
      }),
    );
    expect(
      result.status === 'handled' &&
        result.resources[0]!.outcomes.map((o) => [o.policyId, o.status]),
    ).toEqual(POLICIES.map((p) => [p, 'notified']));
    expect(clients.writes()).toEqual([]);
  });

  it('a compliant function gets no notice, and the sweep finds exactly the legacy one', async () => {
    await create('it-notify-modern', {
      runtime: 'nodejs24.x',
      arch: 'arm64',
      tracing: 'Active',
      memory: 512,
    });
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings.map((f) => `${f.policy} ${f.resourceId}`).sort()).toEqual(
      POLICIES.map((p) => `${p} it-notify-legacy`).sort(),
    );
  });
});
