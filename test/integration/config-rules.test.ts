import { CreateBucketCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ConfigServiceClient,
  type Evaluation as ConfigEvaluation,
} from '@aws-sdk/client-config-service';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, createLogger, type AuditRecord } from '../../src/audit';
import { defaultCatalog } from '../../src/catalog';
import { loadConfig } from '../../src/config';
import {
  ConfigRuleEvaluationError,
  ConfigRuleInvocationError,
} from '../../src/config-rules/evaluate';
import { MalformedEventError } from '../../src/events/errors';
import { createConfigRuleHandler } from '../../src/handlers/config-rule';
import { ACCOUNT } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';
import { loadSample } from '../support/samples';
import { answerCommands } from '../support/sdk-answers';

const REGION = 'ap-south-2'; // this file's own region in the shared moto server
const RULE_ARN = `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-abc123`;
const P = 'it-cfgrule-';
const NOW = '2026-12-04T10:00:00.000Z';

/** A rule invocation as AWS Config sends it (developer guide, "Example events"). */
function invocation(
  ruleName: string,
  invokingEvent: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
) {
  return {
    version: '1.0',
    invokingEvent: JSON.stringify(invokingEvent),
    ruleParameters: '{}',
    resultToken: 'TESTMODE',
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/config-role`,
    configRuleArn: RULE_ARN,
    configRuleName: ruleName,
    configRuleId: 'config-rule-abc123',
    accountId: ACCOUNT,
    evaluationMode: 'DETECTIVE',
    ...overrides,
  };
}

const scheduled = () => ({
  awsAccountId: ACCOUNT,
  notificationCreationTime: NOW,
  messageType: 'ScheduledNotification',
  recordVersion: '1.0',
});

const bucketItem = (bucket: string, extra: Record<string, unknown> = {}) => ({
  configurationItem: {
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: NOW,
    configurationStateId: 1,
    awsAccountId: ACCOUNT,
    configurationItemStatus: 'OK',
    resourceType: 'AWS::S3::Bucket',
    resourceId: bucket,
    resourceName: bucket,
    ARN: `arn:aws:s3:::${bucket}`,
    awsRegion: REGION,
    configuration: { name: bucket },
    supplementaryConfiguration: {},
    tags: {},
    ...extra,
  },
  notificationCreationTime: NOW,
  messageType: 'ConfigurationItemChangeNotification',
  recordVersion: '1.3',
});

/**
 * moto's BatchGetResourceConfig and GetResourceConfigHistory answer S3 items with times
 * such as "2026-12-04 18:28:28.115061+00:00", which the SDK cannot read (it expects epoch
 * seconds): those two answers are given in the documented shape (configuration as a JSON
 * string, Date times) for the buckets moto itself listed; the listing, the buckets' live
 * state and PutEvaluations are moto's.
 */
function answerConfigItemsOfBuckets(clients: RecordingClients, recorded: () => Set<string>) {
  const item = (bucket: string) => ({
    version: '1.3',
    accountId: ACCOUNT,
    configurationItemCaptureTime: new Date(NOW),
    configurationItemStatus: 'OK',
    configurationStateId: '1',
    arn: `arn:aws:s3:::${bucket}`,
    resourceType: 'AWS::S3::Bucket',
    resourceId: bucket,
    resourceName: bucket,
    awsRegion: REGION,
    configuration: JSON.stringify({ name: bucket }),
    supplementaryConfiguration: {},
  });
  answerCommands(clients.get(ConfigServiceClient, { account: ACCOUNT, region: REGION }), {
    BatchGetResourceConfigCommand: (input) => ({
      baseConfigurationItems: (input.resourceKeys as { resourceId: string }[]).map((k) =>
        item(k.resourceId),
      ),
      unprocessedResourceKeys: [],
    }),
    GetResourceConfigHistoryCommand: (input, moto) =>
      recorded().has(input.resourceId as string)
        ? { configurationItems: [item(input.resourceId as string)] }
        : moto!(),
  });
}

describe('Rampart as the Lambda of AWS Config custom rules (moto, TESTMODE)', () => {
  let clients: RecordingClients;
  let s3: S3Client;
  let handler: ReturnType<typeof createConfigRuleHandler>;
  const audit: AuditRecord[] = [];

  const putEvaluations = () =>
    clients.sent
      .filter((c) => c.command === 'PutEvaluationsCommand')
      .map(
        (c) =>
          c.input as { Evaluations: ConfigEvaluation[]; ResultToken: string; TestMode?: boolean },
      );
  const put = () => putEvaluations().flatMap((c) => c.Evaluations);

  beforeAll(async () => {
    clients = new RecordingClients({ maxAttempts: 1 });
    const log = new AuditLog(createLogger({ stream: new PassThrough() }));
    log.subscribe((r) => audit.push(r));
    const catalog = defaultCatalog();
    handler = createConfigRuleHandler({
      catalog,
      config: loadConfig(catalog, 'rampart.config.example.yaml'),
      clients,
      audit: log,
    });
    answerConfigItemsOfBuckets(clients, () => new Set([`${P}locked`, `${P}open`]));
    s3 = new S3Client({ region: REGION });
    for (const name of [`${P}locked`, `${P}open`]) {
      await s3.send(
        new CreateBucketCommand({
          Bucket: name,
          CreateBucketConfiguration: { LocationConstraint: REGION },
        }),
      );
    }
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: `${P}locked`,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
  });
  afterAll(() => {
    clients.destroy();
    s3.destroy();
  });
  const fresh = () => {
    clients.reset();
    audit.length = 0;
  };

  it('judges the real invocation sample (SSH open to the world) from its item and puts NON_COMPLIANT with the token', async () => {
    fresh();
    const sample = loadSample('custodian__ConfigRuleInvocation-SecurityGroup__1.json');
    const result = await handler({
      ...sample,
      configRuleName: 'rampart-sg-no-public-ingress',
      resultToken: 'TESTMODE',
    });
    expect(result.policyId).toBe('sg-no-public-ingress');
    const calls = putEvaluations();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.ResultToken).toBe('TESTMODE');
    expect(calls[0]!.TestMode).toBe(true);
    expect(calls[0]!.Evaluations).toEqual([
      {
        ComplianceResourceType: 'AWS::EC2::SecurityGroup',
        ComplianceResourceId: 'sg-e2fb6999',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: expect.stringMatching(/22/),
        OrderingTimestamp: new Date('2017-11-27T14:26:11.300Z'),
      },
    ]);
    // Detective only: nothing but the evaluation was written, and no resource was read.
    expect(clients.writes()).toEqual(['PutEvaluationsCommand']);
    expect(audit).toEqual([
      expect.objectContaining({
        audit: 'config-rule',
        ruleName: 'rampart-sg-no-public-ingress',
        counts: { NON_COMPLIANT: 1 },
        testMode: true,
      }),
    ]);
  });

  it('on the rule period, judges every bucket Config records, each under its Config id, at the notification time', async () => {
    fresh();
    await handler(invocation('rampart-s3-bucket-public-access-blocked', scheduled()));
    const ours = put().filter((e) => e.ComplianceResourceId!.startsWith(P));
    expect(ours.map((e) => [e.ComplianceResourceId, e.ComplianceType]).sort()).toEqual([
      [`${P}locked`, 'COMPLIANT'],
      [`${P}open`, 'NON_COMPLIANT'],
    ]);
    expect(ours.every((e) => e.ComplianceResourceType === 'AWS::S3::Bucket')).toBe(true);
    expect(ours.every((e) => e.OrderingTimestamp!.toISOString() === NOW)).toBe(true);
    expect(clients.calls).toContain('ListDiscoveredResourcesCommand');
    expect(clients.calls).toContain('BatchGetResourceConfigCommand');
    expect(clients.writes().every((c) => c === 'PutEvaluationsCommand')).toBe(true);
  });

  it('fetches the item of an oversized notification before judging it', async () => {
    fresh();
    const summary = { ...bucketItem(`${P}open`).configurationItem, changeType: 'UPDATE' };
    await handler(
      invocation('rampart-s3-bucket-public-access-blocked', {
        configurationItemSummary: summary,
        messageType: 'OversizedConfigurationItemChangeNotification',
        notificationCreationTime: NOW,
        recordVersion: '1.0',
      }),
    );
    expect(clients.calls).toContain('GetResourceConfigHistoryCommand');
    expect(put().map((e) => [e.ComplianceResourceId, e.ComplianceType])).toEqual([
      [`${P}open`, 'NON_COMPLIANT'],
    ]);
  });

  it('says NOT_APPLICABLE for a resource that left scope, was deleted, or is not of the policy type', async () => {
    fresh();
    const rule = 'rampart-s3-bucket-public-access-blocked';
    await handler(invocation(rule, bucketItem(`${P}open`), { eventLeftScope: true }));
    await handler(
      invocation(rule, bucketItem(`${P}gone`, { configurationItemStatus: 'ResourceDeleted' })),
    );
    await handler(
      invocation(rule, bucketItem('q', { resourceType: 'AWS::SQS::Queue', resourceId: 'q' })),
    );
    expect(put().map((e) => [e.ComplianceResourceId, e.ComplianceType, e.Annotation])).toEqual([
      [`${P}open`, 'NOT_APPLICABLE', "Not applicable: the resource left the rule's scope"],
      [`${P}gone`, 'NOT_APPLICABLE', 'Not applicable: the resource was deleted'],
      [
        'q',
        'NOT_APPLICABLE',
        'Not applicable: s3-bucket-public-access-blocked judges AWS::S3::Bucket',
      ],
    ]);
  });

  it('abuse: a look-alike rule name borrows no policy, and nothing is put', async () => {
    fresh();
    for (const name of [
      'rampart-s3-bucket-public-access-blocked-x',
      'Rampart-s3-bucket-public-access-blocked',
      'rampart-s3-bucket-public-access-blocked ',
      'rampart-',
    ]) {
      const error = await handler(invocation(name, bucketItem(`${P}open`))).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigRuleInvocationError);
      expect((error as ConfigRuleInvocationError).message).toContain(
        'rampart-sg-no-public-ingress',
      );
    }
    expect(putEvaluations()).toEqual([]);
    expect(audit.every((r) => r.audit === 'config-rule' && typeof r.error === 'string')).toBe(true);
  });

  it('abuse: an item or rule of another account is refused, and nothing is read or put', async () => {
    fresh();
    const rule = 'rampart-s3-bucket-public-access-blocked';
    const foreignItem = bucketItem(`${P}open`, { awsAccountId: '999999999999' });
    const cases = [
      invocation(rule, foreignItem),
      invocation(rule, bucketItem(`${P}open`), {
        configRuleArn: `arn:aws:config:${REGION}:999999999999:config-rule/config-rule-abc123`,
      }),
      invocation(rule, { ...scheduled(), awsAccountId: '999999999999' }),
    ];
    const fields = [];
    for (const c of cases) {
      const error = await handler(c).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MalformedEventError);
      fields.push((error as MalformedEventError).field);
    }
    expect(fields).toEqual([
      'invokingEvent.configurationItem.awsAccountId',
      'configRuleArn',
      'invokingEvent.awsAccountId',
    ]);
    expect(clients.calls).toEqual([]);
    expect(audit.map((r) => r.audit)).toEqual(['record-failed', 'record-failed', 'record-failed']);
  });

  it('a resource that cannot be judged fails the invocation (retried, then dead-lettered); the others are put', async () => {
    fresh();
    // Config has no history of this bucket: its oversized item cannot be fetched.
    const error = await handler(
      invocation('rampart-s3-bucket-public-access-blocked', {
        configurationItemSummary: { ...bucketItem(`${P}never-recorded`).configurationItem },
        messageType: 'OversizedConfigurationItemChangeNotification',
        notificationCreationTime: NOW,
        recordVersion: '1.0',
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigRuleEvaluationError);
    expect((error as ConfigRuleEvaluationError).unjudged[0]).toContain(`${P}never-recorded`);
    expect(putEvaluations()).toEqual([]);
    expect(audit).toEqual([
      expect.objectContaining({
        audit: 'config-rule',
        error: expect.stringContaining('not judged'),
      }),
    ]);
  });
});
