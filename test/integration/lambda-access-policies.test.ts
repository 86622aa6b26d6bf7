import { IAMClient } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { createLambdaRole, zipOf } from '../../src/local/lambda-function';
import { Sweeper } from '../../src/sweep/sweep';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

const REGION = 'us-west-1'; // no function elsewhere in it (the DynamoDB and Slack tests share it)
const POLICIES = ['lambda-not-public', 'lambda-function-url-auth'];

describe('Lambda functions are not open to anyone, and their URLs require IAM (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let lambda: LambdaClient;
  let iam: IAMClient;
  let roleArn: string;
  const catalog = defaultCatalog();

  beforeAll(async () => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [p, POLICIES.includes(p) ? {} : { enabled: false }]),
    );
    // No deadline scheduler here: mode approve reverts at once (the approval flow has its tests).
    rampart = createRampart({
      clients,
      config: parseConfig(
        { policies: only, compliance: { sweep: { regions: [REGION] } } },
        catalog,
      ),
    });
    lambda = new LambdaClient({ region: REGION });
    iam = new IAMClient({ region: REGION });
    roleArn = (await createLambdaRole(iam, 'it-access-fn-role')).Role!.Arn!;
  });
  afterAll(() => {
    clients.destroy();
    lambda.destroy();
    iam.destroy();
  });
  const create = (name: string) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Role: roleArn,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf('index.js', 'exports.handler = async () => 1;\n') },
      }),
    );
  const sids = async (name: string) => {
    try {
      const policy = JSON.parse(
        (await lambda.send(new GetPolicyCommand({ FunctionName: name }))).Policy!,
      ) as {
        Statement: { Sid: string }[];
      };
      return policy.Statement.map((s) => s.Sid);
    } catch (error) {
      return (error as Error).name;
    }
  };
  const allow = (name: string, sid: string, principal: string, extra: object = {}) =>
    lambda.send(
      new AddPermissionCommand({
        FunctionName: name,
        StatementId: sid,
        Action: 'lambda:InvokeFunction',
        Principal: principal,
        ...extra,
      }),
    );
  const event = (eventName: string, functionName: string) =>
    cloudTrailEnvelope(
      { eventSource: 'lambda.amazonaws.com', eventName, requestParameters: { functionName } },
      { region: REGION },
    );
  const outcomes = async (eventName: string, functionName: string) => {
    const result = await rampart.evaluator.handleEvent(event(eventName, functionName));
    return result.status === 'handled' ? result.resources[0]!.outcomes : [];
  };

  it('removes exactly the statement open to anyone, keeping the scoped grants; then is a no-op', async () => {
    await create('it-access-open');
    await allow('it-access-open', 'from-bucket', 's3.amazonaws.com', {
      SourceArn: 'arn:aws:s3:::it-access-uploads',
      SourceAccount: '123456789012',
    });
    await allow('it-access-open', 'anyone', '*');
    await allow('it-access-open', 'partner-org', '*', { PrincipalOrgID: 'o-abcdefghij' });
    await create('it-access-bystander');
    await allow('it-access-bystander', 'anyone-too', '*');

    expect(await outcomes('AddPermission20150331v2', 'it-access-open')).toMatchObject([
      {
        policyId: 'lambda-not-public',
        status: 'reverted',
        changes: [
          'removed statement anyone (lambda:InvokeFunction to *) of function it-access-open',
        ],
      },
    ]);
    expect(await sids('it-access-open')).toEqual(['from-bucket', 'partner-org']);
    expect(await sids('it-access-bystander')).toEqual(['anyone-too']);

    clients.reset();
    const again = await outcomes('AddPermission20150331v2', 'it-access-open');
    expect(again.map((o) => o.status)).toEqual(['already-compliant']);
    expect(clients.writes()).toEqual([]);
  });

  it('makes a public URL require IAM, keeping the URL itself', async () => {
    await create('it-access-url');
    const url = await lambda.send(
      new CreateFunctionUrlConfigCommand({ FunctionName: 'it-access-url', AuthType: 'NONE' }),
    );
    // Not granted here: moto stores AddPermission's FunctionUrlAuthType as a statement key,
    // not as the documented condition (docs/testing.md); the policy tests judge that grant.
    const result = await outcomes('CreateFunctionUrlConfig20211031', 'it-access-url');
    expect(result).toMatchObject([
      {
        policyId: 'lambda-function-url-auth',
        status: 'reverted',
        changes: ['set the URL of function it-access-url to auth type AWS_IAM'],
      },
    ]);
    const after = await lambda.send(
      new GetFunctionUrlConfigCommand({ FunctionName: 'it-access-url' }),
    );
    expect(after).toMatchObject({ AuthType: 'AWS_IAM', FunctionUrl: url.FunctionUrl });
    // Nothing else of the function was touched: no permission was added or removed.
    expect(await sids('it-access-url')).toBe('ResourceNotFoundException');
  });

  it('the sweep reports the open function and the bystander, not the scoped ones', async () => {
    await create('it-access-sweep-scoped');
    await allow('it-access-sweep-scoped', 'events', 'events.amazonaws.com', {
      SourceArn: `arn:aws:events:${REGION}:123456789012:rule/nightly`,
    });
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings.map((f) => [f.policy, f.resourceId, f.status]).sort()).toEqual([
      ['lambda-not-public', 'it-access-bystander', 'violation'],
    ]);
  });
});
