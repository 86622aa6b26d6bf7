import {
  ConfigServiceClient,
  SelectAggregateResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AuditLog, createLogger } from '../../src/audit';
import { Catalog } from '../../src/engine/catalog';
import { definePolicy } from '../../src/engine/definitions';
import { Evaluator } from '../../src/engine/evaluator';
import { createRampart } from '../../src/app';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { TtyProgress } from '../../src/cli/progress';
import { parseConfig } from '../../src/config';
import { createSweepHandler, SWEEP_READ_ACTIONS } from '../../src/handlers/sweep';
import { ensureHistoryTable, HistoryStore } from '../../src/history/store';
import { aggregatorQuery } from '../../src/sweep/aggregator';
import { findingKey } from '../../src/sweep/model';
import { DRIFT_LABEL, Sweeper } from '../../src/sweep/sweep';
import { OPEN_22, PRIVATE_5432, seedSecurityGroup } from '../support/ec2';
import { RecordingClients } from '../support/recording-clients';
import { createFunctionWithRole } from '../../src/local/lambda-function';

const catalog = defaultCatalog();
const ACCOUNT = '123456789012';

/** Only the given policies enabled, each in the given mode. */
function configWith(policies: Record<string, string>, compliance: Record<string, unknown>) {
  const entries = [...catalog.policies.keys()].map((id) => [
    id,
    policies[id] ? { mode: policies[id] } : { enabled: false },
  ]);
  return parseConfig({ policies: Object.fromEntries(entries), compliance }, catalog);
}

describe('drift across two sweeps with a history table (moto DynamoDB)', () => {
  const REGION = 'eu-central-2'; // this file's own region in the shared moto server
  const TABLE = 'rampart-history-drift';
  let clients: AwsClients;
  let ec2: EC2Client;
  let sqs: SQSClient;

  beforeAll(async () => {
    clients = new AwsClients();
    ec2 = new EC2Client({ region: REGION });
    sqs = new SQSClient({ region: REGION });
    await ensureHistoryTable(clients, { name: TABLE, region: 'us-east-1' });
  });
  afterAll(() => {
    clients.destroy();
    ec2.destroy();
    sqs.destroy();
  });

  it('labels drift only what neither the previous sweep nor an event had open; keeps a snapshot per run', async () => {
    const config = configWith(
      { 'sg-no-public-ingress': 'notify', 'sqs-has-dlq': 'notify' },
      { historyTable: TABLE, sweep: { regions: [REGION] } },
    );
    const rampart = createRampart({ config, clients, reporters: [] });
    const handler = createSweepHandler(rampart);
    const history = new HistoryStore(clients, { name: TABLE, region: 'us-east-1' });

    const first = await seedSecurityGroup(ec2, [OPEN_22]);
    await seedSecurityGroup(ec2, [PRIVATE_5432]);
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'drift-orders' })))
      .QueueUrl!;
    const run1 = await handler({});
    expect(run1).toMatchObject({ violations: 2, drift: 2, remediate: true, errors: [] });

    // Between the runs: a new open group, and one an event already reported (notified).
    const second = await seedSecurityGroup(ec2, [OPEN_22]);
    const reported = await seedSecurityGroup(ec2, [OPEN_22]);
    const reportedArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${reported}`;
    await history.putOutcome({
      time: new Date().toISOString(),
      source: 'cloudtrail',
      eventId: 'ev-1',
      eventName: 'AuthorizeSecurityGroupIngress',
      policy: 'sg-no-public-ingress',
      resourceType: 'AWS::EC2::SecurityGroup',
      resourceId: reported,
      arn: reportedArn,
      account: ACCOUNT,
      region: REGION,
      status: 'notified',
    });

    const sweeper = new Sweeper({ ...rampart, history });
    const run2 = await sweeper.run({ remediate: false });
    const drifted = run2.findings.filter((f) => f.message.endsWith(DRIFT_LABEL));
    expect(drifted.map((f) => f.resourceId)).toEqual([second]);
    expect(run2.summary).toMatchObject({ violations: 4, drift: 1 });
    expect(run2.findings.map((f) => f.resourceId).sort()).toEqual(
      [first, second, reported, queueUrl].sort(),
    );

    const [latest] = await history.latestSweeps(1);
    expect(latest).toMatchObject({ runId: run2.summary.runId, violations: 4, drift: 1 });
    expect(latest!.byPolicyAccount).toEqual(run2.summary.byPolicyAccount);
    const open = await history.openKeys(run2.summary.runId);
    expect(open).toEqual(new Set(run2.openKeys));
    expect(open.has(findingKey('sg-no-public-ingress', reportedArn))).toBe(true);
  });
});

describe("a sweep's revert has its own measure, never a time to revert (moto)", () => {
  const REGION = 'ca-west-1';
  const TABLE = 'rampart-history-sweep-ttr';
  let clients: AwsClients;
  let ec2: EC2Client;

  beforeAll(async () => {
    clients = new AwsClients();
    ec2 = new EC2Client({ region: REGION });
    await ensureHistoryTable(clients, { name: TABLE, region: 'us-east-1' });
  });
  afterAll(() => {
    clients.destroy();
    ec2.destroy();
  });

  it('drift reverted by the sweep is "open at most since the previous sweep"', async () => {
    const config = configWith(
      { 'sg-no-public-ingress': 'enforce' },
      { historyTable: TABLE, sweep: { regions: [REGION] } },
    );
    const rampart = createRampart({ config, clients, reporters: [] });
    const history = new HistoryStore(clients, { name: TABLE, region: 'us-east-1' });
    const sweeper = new Sweeper({ ...rampart, history });
    const first = await sweeper.run({ remediate: true }); // nothing open yet
    expect(first.summary.violations).toBe(0);

    const group = await seedSecurityGroup(ec2, [OPEN_22]);
    const second = await sweeper.run({ remediate: true });
    expect(second.summary).toMatchObject({ reverted: 1, drift: 1 });
    const after = Date.now();

    const [record] = (
      await history.outcomesBetween(first.summary.startedAt, new Date(after + 1000).toISOString())
    ).filter((o) => o.resourceId === group);
    expect(record).toMatchObject({ source: 'sweep', status: 'reverted' });
    expect(record!.timeToRevertMs).toBeUndefined();
    // From the first sweep's start (not open then) to the verified revert.
    expect(record!.openAtMostMs).toBeGreaterThanOrEqual(
      Date.parse(second.summary.startedAt) - Date.parse(first.summary.startedAt),
    );
    expect(record!.openAtMostMs).toBeLessThanOrEqual(after - Date.parse(first.summary.startedAt));
  });
});

describe('dead-letter queues known by their role, whatever their name (moto)', () => {
  const REGION = 'me-central-1';
  let clients: RecordingClients;
  const sqs = new SQSClient({ region: REGION });
  const lambda = new LambdaClient({ region: REGION });
  const iam = new IAMClient({ region: REGION });
  const sns = new SNSClient({ region: REGION });

  beforeAll(async () => {
    clients = new RecordingClients();
    const arnOf = async (name: string) => {
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
      return (
        await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
        )
      ).Attributes!.QueueArn!;
    };
    const reportsFailures = await arnOf('reports-failures');
    const alertsParked = await arnOf('alerts-parked');
    await arnOf('plain-work');
    await createFunctionWithRole(iam, lambda, 'role-reports');
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'role-reports',
        DestinationConfig: { OnFailure: { Destination: reportsFailures } },
      }),
    );
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'role-alerts' }))).TopicArn!;
    await sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'sqs',
        Endpoint: await arnOf('alerts-consumer'),
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: alertsParked }) },
      }),
    );
  });
  afterAll(() => {
    clients.destroy();
    for (const c of [sqs, lambda, iam, sns]) c.destroy();
  });

  async function sweepWith(policies: Record<string, string>) {
    const config = configWith(policies, { sweep: { regions: [REGION] } });
    const rampart = createRampart({ config, clients, reporters: [] });
    clients.reset();
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    const queueFindings = findings
      .filter((f) => f.policy === 'sqs-has-dlq')
      .map((f) => f.resourceId.split('/').pop())
      .sort();
    const sqsRow = summary.byPolicyAccount.find((r) => r.policy === 'sqs-has-dlq')!;
    return { queueFindings, sqsRow };
  }
  const count = (command: string) => clients.calls.filter((c) => c === command).length;

  it("a queue that receives a function's or a subscription's failures is not applicable; a plain one violates", async () => {
    const { queueFindings, sqsRow } = await sweepWith({
      'sqs-has-dlq': 'notify',
      'lambda-has-dlq': 'notify',
      'sns-subscription-has-dlq': 'notify',
      'eventbridge-target-has-dlq': 'notify',
    });
    expect(queueFindings).toEqual(['alerts-consumer', 'plain-work']);
    expect(sqsRow).toMatchObject({ resources: 4, notApplicable: 2, violations: 2 });
    // Every sender type was swept here: the sweep knew the roles, nothing was listed twice.
    expect(count('ListFunctionsCommand')).toBe(1);
    expect(count('ListSubscriptionsCommand')).toBe(1);
  });

  it('with only the queue policy enabled, the senders are listed once for the violations, and the roles hold', async () => {
    const { queueFindings, sqsRow } = await sweepWith({ 'sqs-has-dlq': 'notify' });
    expect(queueFindings).toEqual(['alerts-consumer', 'plain-work']);
    expect(sqsRow).toMatchObject({ resources: 4, notApplicable: 2, violations: 2 });
    expect(count('ListFunctionsCommand')).toBe(1);
    expect(count('ListSubscriptionsCommand')).toBe(1);
  });
});

describe('a queue listed without its tags (moto)', () => {
  const REGION = 'ap-southeast-4';
  const config = configWith({ 'sqs-has-dlq': 'notify' }, { sweep: { regions: [REGION] } });
  let sqs: SQSClient;

  beforeAll(async () => {
    sqs = new SQSClient({ region: REGION });
    const url = async (name: string, tags?: Record<string, string>) =>
      (await sqs.send(new CreateQueueCommand({ QueueName: name, ...(tags ? { tags } : {}) })))
        .QueueUrl!;
    await url('tagged-parking', { 'rampart:dead-letter-queue': 'orders' });
    await url('plain-work', { team: 'payments' });
    const named = await url('named-dlq');
    const target = (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: named, AttributeNames: ['QueueArn'] }),
      )
    ).Attributes!.QueueArn!;
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'with-redrive',
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: target, maxReceiveCount: 3 }),
        },
      }),
    );
  });
  afterAll(() => sqs.destroy());

  it('reads tags only for the queues that violate without them, and judges them again', async () => {
    const clients = new RecordingClients();
    try {
      const rampart = createRampart({ config, clients, reporters: [] });
      const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
      expect(findings.map((f) => f.resourceId.split('/').pop())).toEqual(['plain-work']);
      // tagged-parking is a dead-letter queue by its tag, named-dlq by its name and its source:
      // only the two that violated on the listing (tagged-parking, plain-work) had tags read.
      expect(clients.calls.filter((c) => c === 'ListQueueTagsCommand')).toHaveLength(2);
      const row = summary.byPolicyAccount.find((r) => r.policy === 'sqs-has-dlq')!;
      expect(row).toMatchObject({ resources: 4, compliant: 1, notApplicable: 2, violations: 1 });
    } finally {
      clients.destroy();
    }
  });

  it('a tag read that fails makes the verdict an error, never compliant or not applicable', async () => {
    const sqsType = catalog.resourceTypes.get('AWS::SQS::Queue')!;
    const failing = {
      ...sqsType,
      readTags: () => Promise.reject(new Error('ThrottlingException: Rate exceeded')),
    };
    const failingCatalog = new Catalog({
      resourceTypes: [failing],
      policies: [catalog.policies.get('sqs-has-dlq')!],
      remediators: [catalog.remediators.get('sqs-add-dlq')!],
    });
    const failingConfig = parseConfig(
      { compliance: { sweep: { regions: [REGION] } } },
      failingCatalog,
    );
    const clients = new AwsClients();
    const evaluator = new Evaluator({
      catalog: failingCatalog,
      config: failingConfig,
      clients,
      audit: new AuditLog(createLogger({ stream: new PassThrough() })),
    });
    const { findings } = await new Sweeper({
      catalog: failingCatalog,
      config: failingConfig,
      clients,
      evaluator,
    }).run({ remediate: false });
    clients.destroy();
    const byName = new Map(findings.map((f) => [f.resourceId.split('/').pop(), f]));
    // The tag read is what would have made tagged-parking not applicable: both are failures.
    expect([...byName.keys()].sort()).toEqual(['plain-work', 'tagged-parking']);
    for (const f of byName.values()) {
      expect(f.status).toBe('failed');
      expect(f.message).toMatch(/cannot read the tags the verdict depends on: ThrottlingException/);
    }
  });
});

describe('several accounts through the cross-account role (moto STS AssumeRole)', () => {
  const REGION = 'eu-south-2';
  const MEMBER = '210987654321';
  const config = configWith(
    { 'sg-no-public-ingress': 'notify' },
    { sweep: { regions: [REGION], accounts: [ACCOUNT, MEMBER] } },
  );

  it('lists each configured account with its own credentials', async () => {
    const clients = new AwsClients({
      crossAccount: { roleName: 'RampartRemediationRole', homeAccount: ACCOUNT },
    });
    const home = await seedSecurityGroup(clients.get(EC2Client, { region: REGION }), [OPEN_22]);
    const member = await seedSecurityGroup(
      clients.get(EC2Client, { region: REGION, account: MEMBER }),
      [OPEN_22],
    );
    const rampart = createRampart({ config, clients, reporters: [] });
    const report = await new Sweeper(rampart).run({ remediate: false });
    clients.destroy();
    expect(report.summary).toMatchObject({ accounts: [ACCOUNT, MEMBER], errors: [] });
    expect(report.findings.map((f) => [f.account, f.resourceId]).sort()).toEqual(
      [
        [ACCOUNT, home],
        [MEMBER, member],
      ].sort(),
    );
  });

  it('without the role, the other account is an error, never the home account read in its name', async () => {
    const clients = new AwsClients({ crossAccount: false });
    const rampart = createRampart({ config, clients, reporters: [] });
    const report = await new Sweeper(rampart).run({ remediate: false });
    clients.destroy();
    expect(report.summary.accounts).toEqual([ACCOUNT]);
    expect(report.summary.errors).toEqual([
      expect.objectContaining({
        account: MEMBER,
        kind: 'access',
        message: expect.stringContaining('the credentials reach 123456789012'),
      }),
    ]);
    expect(report.findings.every((f) => f.account === ACCOUNT)).toBe(true);
  });
});

describe('aggregator path (SelectAggregateResourceConfig is missing in moto: mocked)', () => {
  const REGION = 'eu-central-2'; // this file's own region in the shared moto server
  const config = mockClient(ConfigServiceClient);
  afterAll(() => config.restore());

  const row = (groupId: string, cidr: string, status = 'OK') =>
    JSON.stringify({
      resourceId: groupId,
      resourceType: 'AWS::EC2::SecurityGroup',
      accountId: ACCOUNT,
      awsRegion: REGION,
      arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${groupId}`,
      configurationItemStatus: status,
      configurationItemCaptureTime: '2026-11-20T10:00:00.000Z',
      configuration: {
        groupId,
        ipPermissions: [
          { ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipv4Ranges: [{ cidrIp: cidr }] },
        ],
        ipPermissionsEgress: [],
      },
      supplementaryConfiguration: {},
      tags: [{ key: 'team', value: 'ops' }],
    });

  it('pages through the query and reads live only the candidates; decisions rest on the live read', async () => {
    const ec2 = new EC2Client({ region: REGION });
    // Live state: `open` is still open; `closed` was fixed since Config recorded it open.
    const open = await seedSecurityGroup(ec2, [OPEN_22]);
    const closed = await seedSecurityGroup(ec2, [PRIVATE_5432]);
    ec2.destroy();
    config
      .on(SelectAggregateResourceConfigCommand)
      .resolvesOnce({
        Results: [row(open, '0.0.0.0/0'), row('sg-private1', '10.0.0.0/8')],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Results: [row(closed, '0.0.0.0/0'), row('sg-gone', '0.0.0.0/0', 'ResourceDeleted')],
      });
    const clients = new RecordingClients();
    const rampartConfig = configWith(
      { 'sg-no-public-ingress': 'notify' },
      { sweep: { regions: [REGION], aggregator: { name: 'org', region: 'us-east-1' } } },
    );
    const rampart = createRampart({ config: rampartConfig, clients, reporters: [] });
    const report = await new Sweeper(rampart).run({ remediate: false });
    clients.destroy();

    const calls = config.commandCalls(SelectAggregateResourceConfigCommand);
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
    expect(calls[0]!.args[0].input).toMatchObject({ ConfigurationAggregatorName: 'org' });
    expect(calls[0]!.args[0].input.Expression).toBe(
      aggregatorQuery(['AWS::EC2::SecurityGroup'], { accounts: [ACCOUNT], regions: [REGION] }),
    );
    expect(report.summary).toMatchObject({ source: 'aggregator', resources: 3, errors: [] });
    expect(report.findings.map((f) => [f.resourceId, f.status])).toEqual([[open, 'violation']]);
    // One live read per candidate (open, closed); none for the compliant or deleted rows.
    expect(clients.calls.sort()).toEqual([
      'DescribeSecurityGroupRulesCommand',
      'DescribeSecurityGroupRulesCommand',
      'GetCallerIdentityCommand',
    ]);
  });

  it('names the account and region filters in the query', () => {
    expect(
      aggregatorQuery(['AWS::SQS::Queue', "O'Brien"], {
        accounts: ['111111111111', '222222222222'],
        regions: ['eu-west-1'],
      }),
    ).toMatch(
      /WHERE resourceType IN \('AWS::SQS::Queue', 'O''Brien'\) AND accountId IN \('111111111111', '222222222222'\) AND awsRegion IN \('eu-west-1'\)$/,
    );
  });
});

describe('sweep read actions and the TTY progress bar', () => {
  it('declares every listing action, read-only and without wildcards', () => {
    expect(SWEEP_READ_ACTIONS).toEqual(
      expect.arrayContaining([
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSecurityGroupRules',
        'sqs:ListQueues',
        'dynamodb:ListTables',
        'iam:GetAccountAuthorizationDetails',
        'config:SelectAggregateResourceConfig',
      ]),
    );
    for (const action of SWEEP_READ_ACTIONS) {
      expect(action).toMatch(/^[a-z0-9-]+:(Describe|List|Get|Select)[A-Za-z0-9]+$/);
    }
  });

  it('draws scanned of listed, per type, and clears the line', () => {
    const stream = Object.assign(new PassThrough(), {
      columns: 200,
    }) as unknown as NodeJS.WriteStream;
    let text = '';
    (stream as unknown as PassThrough).on('data', (d: Buffer) => (text += d.toString()));
    const progress = new TtyProgress(stream, 0);
    progress.discovered('AWS::EC2::SecurityGroup', 4);
    progress.scanned('AWS::EC2::SecurityGroup', 3);
    progress.scanned('AWS::SQS::Queue', 1);
    progress.done();
    expect(text).toContain('3/4 resources  EC2::SecurityGroup 3/4');
    expect(text).toContain('4/5 resources  EC2::SecurityGroup 3/4  SQS::Queue 1/1');
    expect(text.endsWith('\r\x1b[2K')).toBe(true);
  });
});

describe('docs/sweep.md', () => {
  it('lists exactly SWEEP_READ_ACTIONS', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/sweep.md', import.meta.url), 'utf8');
    const start = doc.indexOf('## IAM actions');
    const section = doc.slice(start, doc.indexOf('`sts:GetCallerIdentity`', start));
    const listed = [...section.matchAll(/`([a-z0-9-]+:[A-Za-z]+)`/g)].map((m) => m[1]);
    expect([...new Set(listed)].sort()).toEqual([...SWEEP_READ_ACTIONS].sort());
  });
});

describe('the sweep judges each snapshot once per policy', () => {
  it('a violation found by the sweep is not evaluated again when it is acted on', async () => {
    const sg = catalog.resourceTypes.get('AWS::EC2::SecurityGroup')!;
    let evaluations = 0;
    const counting = definePolicy({
      id: 'counted-policy',
      title: 'every group violates',
      description: 'counts its evaluations',
      rationale: 'a sweep judges a snapshot once',
      severity: 'low',
      pillar: 'security',
      controls: [{ framework: 'aws-well-architected', id: 'SEC01-BP01' }],
      resourceType: sg.type,
      triggers: [],
      defaultMode: 'notify',
      parameters: z.strictObject({}),
      evaluate() {
        evaluations++;
        return {
          compliant: false,
          finding: { message: 'counted', elements: [{ kind: 'group', description: 'all' }] },
        };
      },
    });
    const countingCatalog = new Catalog({
      resourceTypes: [sg],
      policies: [counting],
      remediators: [],
    });
    const config = parseConfig(
      { compliance: { sweep: { regions: ['me-south-1'] } } },
      countingCatalog,
    );
    const clients = new AwsClients();
    const evaluator = new Evaluator({
      catalog: countingCatalog,
      config,
      clients,
      audit: new AuditLog(createLogger({ stream: new PassThrough() })),
    });
    const report = await new Sweeper({ catalog: countingCatalog, config, clients, evaluator }).run({
      remediate: false,
    });
    clients.destroy();
    expect(report.summary.violations).toBeGreaterThan(0);
    expect(evaluations).toBe(report.summary.resources);
  });
});

describe('an evaluation that throws', () => {
  it('is a failed finding, never compliant', async () => {
    const sg = catalog.resourceTypes.get('AWS::EC2::SecurityGroup')!;
    const broken = definePolicy({
      id: 'broken-policy',
      title: 'always throws',
      description: 'a policy with a bug',
      rationale: 'tests the third outcome',
      severity: 'low',
      pillar: 'security',
      controls: [{ framework: 'aws-well-architected', id: 'SEC01-BP01' }],
      resourceType: sg.type,
      triggers: [],
      defaultMode: 'notify',
      parameters: z.strictObject({}),
      evaluate() {
        throw new Error('boom');
      },
    });
    const brokenCatalog = new Catalog({ resourceTypes: [sg], policies: [broken], remediators: [] });
    const config = parseConfig(
      { compliance: { sweep: { regions: ['me-south-1'] } } },
      brokenCatalog,
    );
    const clients = new AwsClients();
    const evaluator = new Evaluator({
      catalog: brokenCatalog,
      config,
      clients,
      audit: new AuditLog(createLogger({ stream: new PassThrough() })),
    });
    const report = await new Sweeper({ catalog: brokenCatalog, config, clients, evaluator }).run({
      remediate: false,
    });
    clients.destroy();
    expect(report.summary.resources).toBeGreaterThan(0); // the region's default group
    expect(report.summary).toMatchObject({ compliant: 0, failed: report.summary.resources });
    expect(report.findings.every((f) => f.status === 'failed')).toBe(true);
    expect(report.findings[0]!.message).toBe('policy evaluation failed: boom');
  });
});
