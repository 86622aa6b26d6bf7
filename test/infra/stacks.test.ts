import { App, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { deploymentInputFromText } from '../../infra/config';
import { InfraError } from '../../infra/central-stack';
import { cloudTrailRules } from '../../infra/event-patterns';
import { buildRampart, type RampartStacks } from '../../infra/rampart-app';
import { defaultCatalog } from '../../src/catalog';
import { CONFIG_INPUT_READ_ACTIONS } from '../../src/engine/sources/config-item';
import { SCHEDULER_ACTIONS } from '../../src/exceptions/deadline';
import { EXCEPTIONS_TABLE_ACTIONS } from '../../src/exceptions/table';
import { DIGEST_HANDLER_ACTIONS } from '../../src/handlers/digest';
import { SWEEP_READ_ACTIONS } from '../../src/handlers/sweep';
import { HISTORY_TABLE_ACTIONS } from '../../src/history/store';
import { STATE_TABLE_ACTIONS } from '../../src/reliability/wiring';
import { AGGREGATOR_READ_ACTIONS } from '../../src/sweep/aggregator';

const catalog = defaultCatalog();

const CONFIG = `
policies:
  sg-no-public-ingress:
    parameters:
      allowedPublicPorts: [443]
deployment:
  centralRegion: eu-west-1
  organizationId: o-abcdefghij
  evaluator:
    reservedConcurrency: 7
    sourceMaps: true
  alarms:
    email: secops@example.com
`;

function build(text: string): { app: App; stacks: RampartStacks } {
  const app = new App();
  const stacks = buildRampart(app, catalog, deploymentInputFromText(text, catalog, 'test'));
  return { app, stacks };
}

type Statement = { Effect: string; Action?: string | string[]; Resource?: unknown };

/** Every policy statement anywhere in a template: roles, keys, queues, topics, buses. */
function statements(node: unknown, out: Statement[] = []): Statement[] {
  if (Array.isArray(node)) node.forEach((n) => statements(n, out));
  else if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    if (Array.isArray(obj.Statement)) out.push(...(obj.Statement as Statement[]));
    Object.values(obj).forEach((v) => statements(v, out));
  }
  return out;
}
/** Rules that match events (the sweep and digest rules run on schedules instead). */
function eventRules(template: Template) {
  return Object.fromEntries(
    Object.entries(template.findResources('AWS::Events::Rule')).filter(
      ([, r]) => r.Properties.EventPattern,
    ),
  );
}
const actionsOf = (s: Statement) => (s.Action === undefined ? [] : [s.Action].flat());

/** Actions in the inline policies attached to a role (found by its logical id prefix). */
function roleActions(template: Template, rolePrefix: string): Set<string> {
  const policies = template.findResources('AWS::IAM::Policy');
  const actions = new Set<string>();
  for (const policy of Object.values(policies)) {
    const roles = JSON.stringify(policy.Properties.Roles);
    if (!roles.includes(rolePrefix)) continue;
    for (const s of statements(policy.Properties.PolicyDocument)) {
      if (s.Effect === 'Allow') actionsOf(s).forEach((a) => actions.add(a));
    }
  }
  return actions;
}

describe('the CDK stacks', () => {
  const { app, stacks } = build(CONFIG);
  const central = Template.fromStack(stacks.central);
  const memberRole = Template.fromStack(stacks.memberRole);
  const memberEvents = Template.fromStack(stacks.memberEvents);
  const templates = { central, memberRole, memberEvents };

  it('has one rule per AWS service plus one for Config changes, all into the buffer with a DLQ', () => {
    const expected = cloudTrailRules(catalog);
    const rules = eventRules(central);
    expect(Object.keys(rules)).toHaveLength(expected.length + 1);
    const patterns = Object.values(rules).map((r) => r.Properties.EventPattern);
    for (const rule of expected) expect(patterns).toContainEqual(rule.pattern);
    expect(patterns.filter((p) => p.source?.[0] === 'aws.config')).toHaveLength(1);
    for (const rule of Object.values(rules)) {
      expect(rule.Properties.EventBusName).toEqual({ Ref: expect.stringMatching(/^Bus/) });
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [expect.stringMatching(/^EventQueue/), 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [expect.stringMatching(/^DeadLetterQueue/), 'Arn'] },
          },
        }),
      ]);
    }
  });

  it('only the organization may put events on the central bus', () => {
    central.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Action: 'events:PutEvents',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
      }),
    });
  });

  it('encrypts the queues, topic and tables with the customer key; the buffer has a DLQ', () => {
    const keyRef = { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] };
    const queues = central.findResources('AWS::SQS::Queue');
    // The intake buffer and its DLQ; the account lanes (FIFO) and theirs.
    expect(Object.keys(queues)).toHaveLength(4);
    for (const q of Object.values(queues)) {
      expect(q.Properties.KmsMasterKeyId).toEqual(keyRef);
    }
    central.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLetterQueue'), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
    central.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
    central.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'secops@example.com',
    });
    const tables = central.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(3);
    for (const t of Object.values(tables)) {
      expect(t.Properties.PointInTimeRecoverySpecification).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
      expect(t.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    }
    central.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('one lane per account: a Pipe moves each buffered event into a FIFO message group named by its account, which the evaluator reads', () => {
    const queues = central.findResources('AWS::SQS::Queue');
    const [laneId, lane] = Object.entries(queues).find(
      ([id, q]) => id.startsWith('AccountLanesQueue') && q.Properties.FifoQueue,
    )!;
    expect(lane.Properties).toMatchObject({
      FifoQueue: true,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      RedrivePolicy: { maxReceiveCount: 5 },
    });
    const [pipe] = Object.values(central.findResources('AWS::Pipes::Pipe'));
    expect(pipe!.Properties.Source).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^EventQueue/), 'Arn'],
    });
    expect(pipe!.Properties.Target).toEqual({ 'Fn::GetAtt': [laneId, 'Arn'] });
    expect(pipe!.Properties.TargetParameters).toEqual({
      InputTemplate: '<$.body>',
      SqsQueueParameters: { MessageGroupId: '$.body.account', MessageDeduplicationId: '$.body.id' },
    });
    const mappings = Object.values(central.findResources('AWS::Lambda::EventSourceMapping'));
    const evaluatorMappings = mappings.filter((m) =>
      JSON.stringify(m.Properties.EventSourceArn).includes(laneId),
    );
    expect(evaluatorMappings).toHaveLength(1);
    expect(
      mappings.filter((m) => JSON.stringify(m.Properties.EventSourceArn).includes('EventQueue')),
    ).toEqual([]);
  });

  it('runs the evaluator on arm64 Node.js LTS with reserved concurrency and partial batch responses', () => {
    central.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 7,
      Environment: {
        Variables: Match.objectLike({
          NODE_OPTIONS: '--enable-source-maps',
          RAMPART_REMEDIATION_ROLE_NAME: 'RampartRemediationRole',
        }),
      },
    });
    central.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    const fn = Object.values(central.findResources('AWS::Lambda::Function'))[0]!;
    const config = JSON.parse(fn.Properties.Environment.Variables.RAMPART_CONFIG_JSON);
    expect(config).toEqual({
      policies: { 'sg-no-public-ingress': { parameters: { allowedPublicPorts: [443] } } },
    });
  });

  it('alarms on the DLQ at one message, on errors and throttles, into the encrypted topic', () => {
    const alarms = Object.values(central.findResources('AWS::CloudWatch::Alarm'));
    const byMetric = (name: string) =>
      alarms.filter((a) => a.Properties.MetricName === name || JSON.stringify(a).includes(name));
    const dlq = alarms.find(
      (a) =>
        a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        JSON.stringify(a.Properties.Dimensions).includes('DeadLetterQueue'),
    );
    expect(dlq?.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: expect.stringMatching(/^AlarmTopic/) }],
    });
    // The evaluator's, the sweep's and the digest's.
    expect(byMetric('Errors')).toHaveLength(3);
    expect(byMetric('Throttles')).toHaveLength(1);
    central.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('grants no `*` action in any policy of any template', () => {
    for (const [name, template] of Object.entries(templates)) {
      const all = statements(template.toJSON());
      expect(all.length, name).toBeGreaterThan(0);
      for (const s of all) {
        // A Deny only takes away (enforceSSL denies sqs:*/sns:* over plain HTTP).
        if (s.Effect !== 'Allow') continue;
        for (const action of actionsOf(s)) {
          expect(action, `${name}: ${JSON.stringify(s)}`).not.toContain('*');
        }
      }
    }
  });

  it('writes only what enabled remediators declare, reads only declared state', () => {
    // Declared in the catalog, independently of infra/permissions.ts: every enabled policy's
    // resource-type reads, its remediator's reads and writes, and the Config item read-back.
    // The sweep runs with the evaluator's role (member roles trust that role only), so its
    // declared listings are reads too; the aggregator query only when one is configured.
    const declaredReads = new Set<string>([
      ...CONFIG_INPUT_READ_ACTIONS,
      ...SWEEP_READ_ACTIONS.filter(
        (a) => !(AGGREGATOR_READ_ACTIONS as readonly string[]).includes(a),
      ),
    ]);
    const declaredWrites = new Set<string>();
    for (const policy of catalog.policies.values()) {
      catalog.resourceTypes
        .get(policy.resourceType)!
        .readActions.forEach((a) => declaredReads.add(a));
      if (!policy.remediatorId) continue;
      const remediator = catalog.remediators.get(policy.remediatorId)!;
      remediator.iamActions.read.forEach((a) => declaredReads.add(a));
      remediator.iamActions.write.forEach((a) => declaredWrites.add(a));
    }
    expect(declaredWrites).toContain('ec2:RevokeSecurityGroupIngress');
    expect(declaredWrites).toContain('iam:DetachRolePolicy');
    const member = roleActions(memberRole, 'RemediationRole');
    expect(member).toEqual(new Set([...declaredReads, ...declaredWrites]));

    // The evaluator's own infrastructure: buffer and DLQ, tables (exactly what the exception
    // store and the state table declare), key, notices topic, logs, role hops, deadlines.
    const infra = new Set([
      'sqs:ReceiveMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueUrl',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:SendMessage',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      ...EXCEPTIONS_TABLE_ACTIONS,
      ...STATE_TABLE_ACTIONS,
      ...HISTORY_TABLE_ACTIONS,
      ...SCHEDULER_ACTIONS,
      'iam:PassRole',
      'sns:Publish',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sts:AssumeRole',
    ]);
    const evaluator = roleActions(central, 'EvaluatorRole');
    const undeclared = [...evaluator].filter(
      (a) => !infra.has(a) && !declaredReads.has(a) && !declaredWrites.has(a),
    );
    expect(undeclared).toEqual([]);
    for (const a of declaredWrites) expect(evaluator.has(a)).toBe(true);
    // Nothing beyond what the code uses on the tables: no Scan of the state table, no deletes
    // of exceptions (they expire).
    const tableStatements = statements(central.toJSON()).filter((st) =>
      JSON.stringify(st.Resource ?? null).includes('StateTable'),
    );
    expect(new Set(tableStatements.flatMap(actionsOf))).toEqual(new Set(STATE_TABLE_ACTIONS));
  });

  it('gives approval deadlines a scheduler role that may only invoke the evaluator', () => {
    const fn = Object.values(central.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.FunctionName === 'rampart-evaluator',
    )!;
    const env = fn.Properties.Environment.Variables;
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining([
        'RAMPART_EXCEPTIONS_TABLE',
        'RAMPART_STATE_TABLE',
        'RAMPART_NOTICES_TOPIC_ARN',
        'RAMPART_APPROVAL_TARGET_ARN',
        'RAMPART_SCHEDULER_ROLE_ARN',
        'RAMPART_SCHEDULE_GROUP',
        'RAMPART_APPROVAL_DLQ_ARN',
      ]),
    );
    expect(JSON.stringify(env.RAMPART_APPROVAL_TARGET_ARN)).toContain(
      ':function:rampart-evaluator',
    );
    expect(roleActions(central, 'SchedulerRole')).toEqual(
      new Set([
        'lambda:InvokeFunction',
        'sqs:SendMessage',
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:Encrypt',
        'kms:GenerateDataKey',
      ]),
    );
    central.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
      },
    });
    // Asynchronous invocations that keep failing are kept, not lost.
    expect(fn.Properties.DeadLetterConfig).toEqual({
      TargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^DeadLetterQueue/), 'Arn'] },
    });
    // The state table has the key layout Powertools idempotency and the breaker use.
    central.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
    central.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
  });

  it('fans the sweep out on Step Functions: plan, accounts × regions shards looped on their checkpoint, retried alone, failures recorded and dead-lettered, assemble', () => {
    const [machine] = Object.values(central.findResources('AWS::StepFunctions::StateMachine'));
    // The definition with each CloudFormation token replaced by a marker, parsed.
    const parts = machine!.Properties.DefinitionString['Fn::Join'][1] as unknown[];
    const definition = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
    expect(definition.StartAt).toBe('Plan');
    const { Plan, Accounts, Assemble } = definition.States;
    expect(Plan.Parameters.Payload).toEqual({ stage: 'plan' });
    expect(Plan.Next).toBe('Accounts');
    expect(Accounts).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.plan.accounts',
      MaxConcurrency: 40,
      ToleratedFailurePercentage: 100,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' } },
      Next: 'Assemble',
    });
    const regions = Accounts.ItemProcessor.States.Regions;
    expect(regions).toMatchObject({ Type: 'Map', ItemsPath: '$.run.regions', MaxConcurrency: 2 });
    // A child execution carries the run, not the list of every account.
    expect(Object.keys(Accounts.ItemSelector).sort()).toEqual(['account.$', 'run']);
    expect(regions.ItemSelector.task).toMatchObject({
      'region.$': '$$.Map.Item.Value',
      'regionIndex.$': '$$.Map.Item.Index',
      'account.$': '$.account',
    });
    const shard = regions.ItemProcessor.States;
    expect(shard.SweepShard.Parameters.Payload).toEqual({ stage: 'shard', 'task.$': '$.task' });
    expect(shard.SweepShard.Retry).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ErrorEquals: ['States.TaskFailed', 'States.Timeout'],
          MaxAttempts: 2,
        }),
      ]),
    );
    expect(shard.SweepShard.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordShardFailure' },
    ]);
    expect(shard.RecordShardFailure.Next).toBe('DeadLetterShard');
    expect(shard.RecordShardFailure.Parameters.Item.sk).toEqual({
      'S.$': "States.Format('{}#{}#failed', $.task.account, $.task.region)",
    });
    expect(shard.DeadLetterShard.Next).toBe('ShardFailed');
    // The loop: a shard that is not finished is invoked again with its checkpoint.
    expect(shard.ShardFinished).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.task.finished', BooleanEquals: true, Next: 'ShardDone' }],
      Default: 'SweepShard',
    });
    expect(Assemble.Parameters.Payload).toEqual({ stage: 'assemble', 'plan.$': '$.plan' });
    // Its role: invoke the sweep function, write the failure record, send to the DLQ; no write on `*`.
    const statements = Object.values(central.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('SweepFanOutStateMachineRole'))
      .flatMap(
        (p) =>
          p.Properties.PolicyDocument.Statement as {
            Action: string | string[];
            Resource: unknown;
          }[],
      );
    const actions = statements.flatMap((st) => [st.Action].flat()).sort();
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'lambda:InvokeFunction', 'sqs:SendMessage']),
    );
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    for (const st of statements) expect([st.Resource].flat()).not.toContain('*');
  });

  it('runs the sweep and the digest on their configured schedules, failures kept in the DLQ', () => {
    const rules = Object.values(central.findResources('AWS::Events::Rule'));
    const scheduled = rules.filter((r) => r.Properties.ScheduleExpression);
    expect(scheduled.map((r) => r.Properties.ScheduleExpression).sort()).toEqual(
      ['cron(0 6 ? * MON *)', 'rate(1 day)'].sort(),
    );
    const functions = central.findResources('AWS::Lambda::Function');
    const byService = (name: string) =>
      Object.entries(functions).find(
        ([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === name,
      )!;
    const [, sweep] = byService('rampart-sweep');
    const [digestId, digest] = byService('rampart-digest');
    const [machineId] = Object.keys(central.findResources('AWS::StepFunctions::StateMachine'));
    for (const rule of scheduled) {
      const [target] = rule.Properties.Targets;
      // The sweep's schedule starts a state machine run; the digest's invokes its function.
      expect([machineId, digestId]).toContain(target.Arn.Ref ?? target.Arn['Fn::GetAtt'][0]);
      expect(target.DeadLetterConfig.Arn).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^DeadLetterQueue/), 'Arn'],
      });
    }
    // The sweep evaluates and remediates like the evaluator: same role, same environment.
    expect(sweep.Properties.Role).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^EvaluatorRole/), 'Arn'],
    });
    const evaluatorEnv = Object.values(functions).find(
      (f) => f.Properties.FunctionName === 'rampart-evaluator',
    )!.Properties.Environment.Variables;
    for (const name of [
      'RAMPART_HISTORY_TABLE',
      'RAMPART_EXCEPTIONS_TABLE',
      'RAMPART_CONFIG_JSON',
    ]) {
      expect(sweep.Properties.Environment.Variables[name], name).toEqual(evaluatorEnv[name]);
    }
    expect(sweep.Properties.Timeout).toBe(900);
    // The digest has a role of its own: exactly what it declares, on its tables and topic.
    expect(Object.keys(digest.Properties.Environment.Variables)).toEqual(
      expect.arrayContaining(['RAMPART_HISTORY_TABLE', 'RAMPART_DIGEST_TOPIC_ARN']),
    );
    const digestActions = roleActions(central, 'DigestRole');
    const declared = new Set<string>([
      ...DIGEST_HANDLER_ACTIONS.historyTable,
      ...DIGEST_HANDLER_ACTIONS.exceptionsTable,
      ...DIGEST_HANDLER_ACTIONS.digestTopic,
      'sqs:SendMessage', // a failed scheduled run goes to the DLQ
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    expect(digestActions).toEqual(declared);
    central.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
  });

  it('follows compliance.digest.schedule and grants the aggregator query only when configured', () => {
    const { stacks: s } = build(
      'compliance:\n  digest:\n    schedule: daily\n  sweep:\n    aggregator: { name: org, region: us-east-1 }\n',
    );
    const t = Template.fromStack(s.central);
    const expressions = Object.values(t.findResources('AWS::Events::Rule'))
      .map((r) => r.Properties.ScheduleExpression)
      .filter(Boolean);
    expect(expressions).toContain('cron(0 6 * * ? *)');
    expect(roleActions(t, 'EvaluatorRole')).toContain('config:SelectAggregateResourceConfig');
    expect(roleActions(central, 'EvaluatorRole')).not.toContain(
      'config:SelectAggregateResourceConfig',
    );
  });

  it('grants no remediation write for a policy that only notifies, nor for a disabled one', () => {
    const { stacks: notifying } = build(`policies:\n  sg-no-public-ingress:\n    mode: notify\n`);
    const text = JSON.stringify([
      Template.fromStack(notifying.central).toJSON(),
      Template.fromStack(notifying.memberRole).toJSON(),
    ]);
    expect(text).not.toContain('ec2:RevokeSecurityGroupIngress');
    // (iam:DetachRolePolicy is both granted, for iam-no-admin-access, and denied on Rampart's roles)
    expect(text).toContain('iam:DetachRolePolicy');

    const allDisabled = [...catalog.policies.keys()]
      .map((id) => `  ${id}:\n    enabled: false\n`)
      .join('');
    const { stacks: disabled } = build(`policies:\n${allDisabled}`);
    expect(eventRules(Template.fromStack(disabled.central))).toEqual({});
    const allowed = statements(Template.fromStack(disabled.memberRole).toJSON()).filter(
      (st) => st.Effect === 'Allow',
    );
    expect(JSON.stringify(allowed)).not.toMatch(/ec2:|iam:Detach|config:GetResourceConfigHistory/);
  });

  it('member stacks: a role trusted only by the central evaluator role, rules forwarding to the central bus', () => {
    memberRole.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'RampartRemediationRole',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: {
              AWS: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':iam::',
                    { Ref: 'CentralAccountId' },
                    ':role/RampartEvaluatorRole',
                  ],
                ],
              },
            },
          },
        ],
      },
    });
    const forwards = Object.values(memberEvents.findResources('AWS::Events::Rule'));
    expect(forwards).toHaveLength(cloudTrailRules(catalog).length + 1);
    for (const rule of forwards) {
      expect(JSON.stringify(rule.Properties.Targets[0].Arn)).toContain(
        ':event-bus/rampart-central',
      );
      expect(rule.Properties.Targets[0].RoleArn).toBeDefined();
      expect(rule.Properties.EventBusName).toBeUndefined(); // the account's default bus
    }
  });

  it('passes the cdk-nag AwsSolutions pack, every acknowledgement with a reason', () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    const reasons = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.values(m.data as Record<string, string>));
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(20);
  });

  it("finds nothing with Rampart's own policies in Rampart's templates, and synth would say so", () => {
    const clean = build(CONFIG);
    expect(() => clean.app.synth()).not.toThrow();

    const dirty = build(CONFIG);
    new ec2.CfnSecurityGroup(dirty.stacks.central, 'WideOpen', {
      groupDescription: 'ssh from anywhere',
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' }],
    });
    expect(() => dirty.app.synth()).toThrow(/Acknowledge with 'Rampart::sg-no-public-ingress'/);
  });

  it('deploys Slack behind a Function URL only with the slack: section, with what it declares', () => {
    const enabled = 'deployment:\n  slack:\n    enabled: true\n';
    expect(() => build(enabled)).toThrow(InfraError);
    try {
      build(enabled);
    } catch (error) {
      expect((error as InfraError).setting).toBe('slack');
    }
    const { stacks: s } = build(
      `${enabled}slack:\n  channel: C0123456789\n  approvers:\n    users: [U0123ABC]\n`,
    );
    const t = Template.fromStack(s.central);
    t.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    const slackFn = Object.values(t.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'rampart-slack',
    )!;
    expect(Object.keys(slackFn.Properties.Environment.Variables)).toEqual(
      expect.arrayContaining([
        'RAMPART_CONFIG_JSON',
        'RAMPART_SLACK_SECRET_ARN',
        'RAMPART_EXCEPTIONS_TABLE',
        'RAMPART_EVALUATOR_FUNCTION_ARN',
      ]),
    );
    const slackRole = roleActions(t, 'SlackRole');
    for (const a of [
      ...EXCEPTIONS_TABLE_ACTIONS,
      'scheduler:DeleteSchedule',
      'lambda:InvokeFunction',
      'secretsmanager:GetSecretValue',
    ]) {
      expect(slackRole, a).toContain(a);
    }
    expect([...slackRole].filter((a) => a.startsWith('ec2:') || a.startsWith('iam:'))).toEqual([]);
  });
});
