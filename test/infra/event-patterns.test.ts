import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  DeleteMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  CONFIG_CHANGE_DETAIL_TYPE,
  EventPatternError,
  MAX_PATTERN_LENGTH,
  cloudTrailRules,
  configChangePattern,
  watchedConfigTypes,
} from '../../infra/event-patterns';
import { defaultCatalog } from '../../src/catalog';
import { Catalog } from '../../src/engine/catalog';
import { definePolicy, defineResourceType, type AnyPolicy } from '../../src/engine/definitions';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { envelopeOf, loadSample, sampleNames } from '../support/samples';
import { testTypeDeclarations } from '../support/test-type';

const catalog = defaultCatalog();

/** A catalog with two services, two policies on one of them and one disabled, for consolidation. */
function fakeCatalog(extraNames: string[] = []) {
  const type = (t: string, eventSource: string, names: string[]) =>
    defineResourceType({
      type: t,
      eventSource,
      ...testTypeDeclarations(eventSource.split('.')[0]!),
      configResourceTypes: [t],
      cloudTrail: Object.fromEntries(names.map((n) => [n, () => []])),
      readActions: [],
      collect: async () => undefined,
    });
  const policy = (id: string, resourceType: string, triggers: string[]) =>
    definePolicy({
      id,
      title: id,
      description: id,
      rationale: id,
      severity: 'low',
      pillar: 'security',
      controls: [{ framework: 'aws-well-architected', id: 'SEC01-BP01' }],
      resourceType,
      triggers,
      defaultMode: 'notify',
      parameters: z.strictObject({}),
      evaluate: () => ({ compliant: true }),
    });
  return new Catalog({
    resourceTypes: [
      type('AWS::SQS::Queue', 'sqs.amazonaws.com', [
        'CreateQueue',
        'SetQueueAttributes',
        ...extraNames,
      ]),
      type('AWS::SNS::Subscription', 'sns.amazonaws.com', ['Subscribe']),
    ],
    policies: [
      policy('a', 'AWS::SQS::Queue', ['CreateQueue', ...extraNames]),
      policy('b', 'AWS::SQS::Queue', ['SetQueueAttributes', 'CreateQueue']),
      policy('c', 'AWS::SNS::Subscription', ['Subscribe']),
    ],
    remediators: [],
  });
}

describe('event patterns generated from the catalog', () => {
  it('consolidates policies into one rule per service, failed calls excluded', () => {
    const rules = cloudTrailRules(fakeCatalog());
    expect(rules.map((r) => r.id)).toEqual(['sns', 'sqs']);
    expect(rules[1]!.pattern).toEqual({
      source: ['aws.sqs'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['sqs.amazonaws.com'],
        eventName: ['CreateQueue', 'SetQueueAttributes'],
        errorCode: [{ exists: false }],
      },
    });
  });

  it('leaves out disabled policies, and services no enabled policy watches', () => {
    const enabled = (p: AnyPolicy) => p.id !== 'b' && p.id !== 'c';
    const rules = cloudTrailRules(fakeCatalog(), enabled);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.eventNames).toEqual(['CreateQueue']);
    expect(watchedConfigTypes(fakeCatalog(), enabled)).toEqual(['AWS::SQS::Queue']);
    expect(configChangePattern([])).toBeUndefined();
  });

  it('splits a service only when its pattern would pass the length limit', () => {
    const many = Array.from({ length: 200 }, (_, i) => `PutSomethingRatherLong${i}`);
    const rules = cloudTrailRules(fakeCatalog(many));
    const sqs = rules.filter((r) => r.eventSource === 'sqs.amazonaws.com');
    expect(sqs.length).toBeGreaterThan(1);
    expect(sqs.map((r) => r.id)).toEqual(sqs.map((_, i) => (i === 0 ? 'sqs' : `sqs-${i + 1}`)));
    for (const r of sqs)
      expect(JSON.stringify(r.pattern).length).toBeLessThanOrEqual(MAX_PATTERN_LENGTH);
    expect(sqs.flatMap((r) => r.eventNames).sort()).toEqual(
      ['CreateQueue', 'SetQueueAttributes', ...many].sort(),
    );
    expect(() => cloudTrailRules(fakeCatalog(['X'.repeat(MAX_PATTERN_LENGTH)]))).toThrow(
      EventPatternError,
    );
  });

  it('covers every trigger of every shipped policy', () => {
    const rules = cloudTrailRules(catalog);
    for (const policy of catalog.policies.values()) {
      const source = catalog.resourceTypes.get(policy.resourceType)!.eventSource;
      for (const trigger of policy.triggers) {
        expect(
          rules.some((r) => r.eventSource === source && r.eventNames.includes(trigger)),
          `${policy.id}: ${trigger}`,
        ).toBe(true);
      }
    }
  });
});

// --- Against a real matcher: moto's EventBridge delivering to an SQS target.

const REGION = 'ap-southeast-2'; // this file's own region in the shared moto server

type BusEvent = Record<string, unknown> & {
  'detail-type': string;
  detail: Record<string, unknown>;
};

interface Case {
  name: string;
  event: BusEvent;
  /** Why it must or must not be delivered. */
  expect: 'delivered' | 'not delivered';
}

const triggers = new Map<string, Set<string>>();
for (const rule of cloudTrailRules(catalog)) {
  const names = triggers.get(rule.eventSource) ?? new Set<string>();
  rule.eventNames.forEach((n) => names.add(n));
  triggers.set(rule.eventSource, names);
}
/**
 * The AWS Config resource types of the shipped pack, exactly as AWS Config names them (its
 * "Supported Resource Types" list): the specification, not the code's output. AWS Config
 * does not record SNS subscriptions.
 */
const CONFIG_TYPES_OF_THE_PACK = [
  'AWS::CloudTrail::Trail',
  'AWS::DynamoDB::Table',
  'AWS::EC2::Instance',
  'AWS::EC2::SecurityGroup',
  'AWS::Events::Rule',
  'AWS::IAM::Group',
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::KMS::Key',
  'AWS::Lambda::Function',
  'AWS::Logs::LogGroup',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBClusterSnapshot',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBSnapshot',
  'AWS::S3::Bucket',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
];
const watchedTypes = CONFIG_TYPES_OF_THE_PACK;

describe('the AWS Config change pattern', () => {
  it("names AWS Config's resource types, never Rampart's own type names", () => {
    expect(watchedConfigTypes(catalog)).toEqual(CONFIG_TYPES_OF_THE_PACK);
  });
});

/** What the specification says about a CloudTrail event: delivered iff a successful trigger. */
function cloudTrailVerdict(detail: Record<string, unknown>): Case['expect'] {
  const names = triggers.get(String(detail.eventSource));
  const isTrigger = names?.has(String(detail.eventName)) ?? false;
  return isTrigger && detail.errorCode === undefined ? 'delivered' : 'not delivered';
}

/** The real samples, each as the bus would carry it (bare records and log files wrapped). */
function sampleCases(): Case[] {
  const cases: Case[] = [];
  for (const name of sampleNames()) {
    const sample = loadSample(name);
    if (typeof sample['detail-type'] === 'string') {
      const event = sample as BusEvent;
      const verdict =
        event['detail-type'] === CONFIG_CHANGE_DETAIL_TYPE
          ? watchedTypes.includes(
              String((event.detail.configurationItem as { resourceType?: string })?.resourceType),
            )
            ? 'delivered'
            : 'not delivered'
          : cloudTrailVerdict(event.detail);
      cases.push({ name, event, expect: verdict });
    } else if (Array.isArray(sample.Records)) {
      (sample.Records as Record<string, unknown>[]).forEach((record, i) =>
        cases.push({
          name: `${name}[${i}] ${String(record.eventName)}`,
          event: envelopeOf(record),
          expect: cloudTrailVerdict(record),
        }),
      );
    } else if (typeof sample.eventName === 'string' && typeof sample.eventSource === 'string') {
      cases.push({ name, event: envelopeOf(sample), expect: cloudTrailVerdict(sample) });
    }
    // SNS notifications, Config-rule invocations and bare configuration items never reach
    // a bus as such: they are not EventBridge events.
  }
  return cases;
}

/** Fixtures for what no real sample shows (built from the CloudTrail and Config docs). */
function fixtureCases(): Case[] {
  const cases: Case[] = [];
  for (const [eventSource, names] of triggers) {
    for (const eventName of names) {
      const ok = cloudTrailEnvelope({ eventSource, eventName }, { region: REGION });
      cases.push({ name: `fixture ${eventName}`, event: ok, expect: 'delivered' });
      const failed = cloudTrailEnvelope(
        { eventSource, eventName, errorCode: 'AccessDenied', errorMessage: 'denied' },
        { region: REGION },
      );
      cases.push({ name: `fixture failed ${eventName}`, event: failed, expect: 'not delivered' });

      const otherService = cloudTrailEnvelope(
        { eventSource: 'elasticloadbalancing.amazonaws.com', eventName },
        { region: REGION },
      );
      cases.push({
        name: `fixture ${eventName} from another service`,
        event: otherService,
        expect: 'not delivered',
      });
    }
  }
  // Anyone with events:PutEvents on the bus: CloudTrail's detail under a source of their own
  // (once per service: the source is matched before the event name).
  for (const [eventSource, names] of triggers) {
    const ok = cloudTrailEnvelope({ eventSource, eventName: [...names][0]! }, { region: REGION });
    cases.push(
      {
        name: `forged ${eventSource} under a custom source`,
        event: { ...ok, source: 'custom.cloudtrail' },
        expect: 'not delivered',
      },
      {
        name: `forged ${eventSource} under another service's source`,
        event: { ...ok, source: 'aws.elasticloadbalancing' },
        expect: 'not delivered',
      },
    );
  }
  const readOnly = cloudTrailEnvelope(
    { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeSecurityGroups', readOnly: true },
    { region: REGION },
  );
  cases.push({
    name: 'fixture read-only DescribeSecurityGroups',
    event: readOnly,
    expect: 'not delivered',
  });
  // Rampart's own type names (AWS Config never emits them) and a type no policy judges.
  for (const resourceType of [
    ...watchedTypes,
    'AWS::RDS::Database',
    'AWS::IAM::Principal',
    'AWS::EC2::Instance',
  ]) {
    const expected = watchedTypes.includes(resourceType) ? 'delivered' : 'not delivered';
    cases.push({
      name: `fixture Config item change ${resourceType}`,
      event: configChangeEnvelope({ configurationItem: { resourceType, resourceId: 'r-1' } }),
      expect: expected,
    });
    cases.push({
      name: `fixture oversized Config item change ${resourceType}`,
      event: configChangeEnvelope({
        messageType: 'OversizedConfigurationItemChangeNotification',
        configurationItemSummary: { resourceType, resourceId: 'r-1' },
      }),
      expect: expected,
    });
  }
  return cases;
}

function configChangeEnvelope(detail: Record<string, unknown>): BusEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': CONFIG_CHANGE_DETAIL_TYPE,
    source: 'aws.config',
    account: '123456789012',
    time: new Date().toISOString(),
    region: REGION,
    resources: [],
    detail: { messageType: 'ConfigurationItemChangeNotification', recordVersion: '1.3', ...detail },
  };
}

describe('the generated patterns on a real matcher (moto EventBridge → SQS)', () => {
  const events = new EventBridgeClient({ region: REGION });
  const sqs = new SQSClient({ region: REGION });
  const bus = `rampart-patterns-${randomUUID().slice(0, 8)}`;
  const ruleNames: string[] = [];
  let queueUrl = '';

  beforeAll(async () => {
    await events.send(new CreateEventBusCommand({ Name: bus }));
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: bus }));
    queueUrl = queue.QueueUrl!;
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    const patterns = cloudTrailRules(catalog).map((r) => ({ id: r.id, pattern: r.pattern }));
    patterns.push({ id: 'config', pattern: configChangePattern(watchedConfigTypes(catalog))! });
    for (const { id, pattern } of patterns) {
      const name = `${bus}-${id}`;
      await events.send(
        new PutRuleCommand({
          Name: name,
          EventBusName: bus,
          EventPattern: JSON.stringify(pattern),
        }),
      );
      await events.send(
        new PutTargetsCommand({
          Rule: name,
          EventBusName: bus,
          Targets: [{ Id: 'buffer', Arn: attrs.Attributes!.QueueArn! }],
        }),
      );
      ruleNames.push(name);
    }
  });

  afterAll(async () => {
    for (const name of ruleNames) {
      await events.send(
        new RemoveTargetsCommand({ Rule: name, EventBusName: bus, Ids: ['buffer'] }),
      );
      await events.send(new DeleteRuleCommand({ Name: name, EventBusName: bus }));
    }
    await events.send(new DeleteEventBusCommand({ Name: bus }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    events.destroy();
    sqs.destroy();
  });

  /** Drains the queue: bounded number of receives, stopping at the first empty one. */
  async function drain(): Promise<Record<string, unknown>[]> {
    const bodies: Record<string, unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
        }),
      );
      const messages = out.Messages ?? [];
      if (messages.length === 0) break;
      bodies.push(...messages.map((m) => JSON.parse(m.Body!) as Record<string, unknown>));
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    return bodies;
  }

  async function deliveries(event: BusEvent): Promise<Record<string, unknown>[]> {
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: bus,
            Source: String(event.source ?? 'aws.unknown'),
            DetailType: event['detail-type'],
            Detail: JSON.stringify(event.detail),
            Resources: (event.resources as string[] | undefined) ?? [],
          },
        ],
      }),
    );
    expect(out.FailedEntryCount ?? 0).toBe(0);
    return drain();
  }

  const cases = [...sampleCases(), ...fixtureCases()];

  it('delivers exactly the successful trigger events and watched Config changes', async () => {
    const wrong: string[] = [];
    for (const c of cases) {
      const got = await deliveries(c.event);
      const verdict = got.length === 0 ? 'not delivered' : 'delivered';
      if (verdict !== c.expect) wrong.push(`${c.name}: expected ${c.expect}, was ${verdict}`);
      if (got.length > 0) {
        // The buffered message is the event itself, its detail untouched.
        expect(got).toHaveLength(1);
        expect(got[0]!.detail).toEqual(c.event.detail);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000); // one PutEvents and a bounded drain per case: ~150 cases on one moto process

  it('is exercised by real trigger samples, failed calls, read-only calls and other services', () => {
    const byName = new Map(sampleCases().map((c) => [c.name, c.expect]));
    // Successful security-group changes (console, Terraform, a captured attack).
    expect(byName.get('panther__AuthorizeSecurityGroupIngress__1.json')).toBe('delivered');
    expect(byName.get('stratus__AuthorizeSecurityGroupIngress__1.json')).toBe('delivered');
    expect(byName.get('panther__CreateSecurityGroup__1.json')).toBe('delivered');
    // Failed calls of a trigger event name.
    expect(byName.get('panther__AuthorizeSecurityGroupIngress__2.json')).toBe('not delivered');
    expect(byName.get('panther__AuthorizeSecurityGroupIngress__3.json')).toBe('not delivered');
    // Read-only calls and other services' events.
    expect(byName.get('awsdocs-dynamodb__RecordsLogFile__1.json[1] DescribeTable')).toBe(
      'not delivered',
    );
    expect(byName.get('awsdocs-dynamodb__CreateCluster-DAX__1.json')).toBe('not delivered');
    // EC2 instances are watched since ec2-imdsv2-required: a real RunInstances reaches us.
    expect(byName.get('panther__RunInstances__1.json')).toBe('delivered');
    // S3 is watched since s3-bucket-public-access-blocked: the real CreateBucket reaches us.
    expect(byName.get('custodian__CreateBucket-EventBridgeEnvelope__1.json')).toBe('delivered');
  });
});
