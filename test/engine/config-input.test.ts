import {
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
} from '@aws-sdk/client-config-service';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { MalformedEventError } from '../../src/events/errors';
import { RecordingClients } from '../support/recording-clients';
import { REPO_ROOT, SAMPLES_DIR } from '../support/samples';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/events', name), 'utf8')) as {
    detail: Record<string, unknown> & { configurationItem: Record<string, unknown> };
  };
const REGION = 'sa-east-1'; // this file's own region in the shared moto server

describe('AWS Config "Configuration Item Change" input', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 1 });
    rampart = createRampart({ clients });
  });
  afterAll(() => clients.destroy());

  it('judges a security group from the item, with no describe call', async () => {
    clients.reset();
    const result = await rampart.evaluator.handleEvent(
      fixture('synthetic__ConfigItemChange-SecurityGroup.json'),
      { dryRun: true },
    );
    expect(result).toMatchObject({
      status: 'handled',
      eventName: 'ConfigurationItemChangeNotification',
      trigger: { source: 'config', eventTime: '2017-01-09T22:50:15.156Z' },
      resources: [
        {
          resource: { type: 'AWS::EC2::SecurityGroup', id: 'sg-3f1fef43', region: 'us-east-2' },
          decisions: [{ policyId: 'sg-no-public-ingress', action: 'dry-run' }],
        },
      ],
    });
    // ipv4Ranges and the legacy ipRanges list the same CIDR once: one rule, not two.
    const violation = result.status === 'handled' && result.resources[0]!.decisions[0]!.violation;
    expect(violation && violation.elements.map((e) => e.description)).toEqual([
      'tcp 22 from 0.0.0.0/0',
    ]);
    expect(clients.calls).toEqual([]);
  });

  it('judges a real SQS item (all values strings) from the item, after looking up who sends it failures', async () => {
    const event = JSON.parse(
      readFileSync(join(SAMPLES_DIR, 'custodian__ConfigItemChange-SQSQueue__1.json'), 'utf8'),
    );
    clients.reset();
    const result = await rampart.evaluator.handleEvent(event, { dryRun: true });
    expect(result.status === 'handled' && result.resources[0]).toMatchObject({
      resource: {
        type: 'AWS::SQS::Queue',
        id: 'https://sqs.us-east-1.amazonaws.com/644160558196/config-changes',
      },
      // The 2019 item has neither SqsManagedSseEnabled nor a KMS key: not encrypted either.
      decisions: [{ policyId: 'sqs-has-dlq' }, { policyId: 'sqs-encrypted' }],
    });
    // The queue itself is judged from the item; only its possible failure senders are read.
    expect(new Set(clients.calls)).toEqual(
      new Set([
        'ListFunctionsCommand',
        'ListSubscriptionsCommand',
        'ListEventBusesCommand',
        'ListRulesCommand',
      ]),
    );
  });

  it('evaluates every enabled policy of the type, not only those a CloudTrail event would trigger', async () => {
    const result = await rampart.evaluator.handleEvent(
      fixture('synthetic__ConfigItemChange-DynamoDBTable.json'),
      {
        dryRun: true,
      },
    );
    expect(
      result.status === 'handled' &&
        result.resources[0]!.evaluations.map((e) => [e.policyId, e.status]),
    ).toEqual([
      ['dynamodb-encrypted-kms', 'violation'],
      // The item's supplementaryConfiguration says point-in-time recovery is off.
      ['dynamodb-pitr-enabled', 'violation'],
      // The item (from before deletion protection existed) has no deletionProtectionEnabled.
      ['dynamodb-deletion-protection-enabled', 'violation'],
    ]);
  });

  it('skips a deleted resource with a reason', async () => {
    const result = await rampart.evaluator.handleEvent(
      fixture('synthetic__ConfigItemChange-RDSDBInstance-Deleted.json'),
    );
    expect(result).toMatchObject({
      status: 'skipped',
      code: 'resource-deleted',
      reason: 'AWS::RDS::DBInstance db-HHTTSRD6HXUIKXPFPI6WFVZ4PA was deleted',
    });
  });

  it('skips a resource type no policy watches', async () => {
    const event = fixture('synthetic__ConfigItemChange-DynamoDBTable.json');
    event.detail.configurationItem.resourceType = 'AWS::EC2::VPC';
    expect(await rampart.evaluator.handleEvent(event)).toMatchObject({
      status: 'skipped',
      code: 'unwatched-resource-type',
      reason: 'no policy watches AWS::EC2::VPC',
    });
  });

  it('names the field of a malformed item', async () => {
    const event = fixture('synthetic__ConfigItemChange-DynamoDBTable.json');
    delete event.detail.configurationItem.awsRegion;
    await expect(rampart.evaluator.handleEvent(event)).rejects.toThrow(MalformedEventError);
    await expect(rampart.evaluator.handleEvent(event)).rejects.toThrow(
      /detail.configurationItem.awsRegion is missing/,
    );
    const noType = fixture('synthetic__ConfigItemChange-DynamoDBTable.json');
    noType.detail.messageType = 'Surprise';
    await expect(rampart.evaluator.handleEvent(noType)).rejects.toThrow(/detail.messageType/);
  });

  it('reads a type whose item lacks what the policy judges (Lambda) with a fresh read instead', async () => {
    const item = JSON.parse(
      readFileSync(join(SAMPLES_DIR, 'rdk__ConfigItem-LambdaFunction__1.json'), 'utf8'),
    )[0];
    clients.reset();
    const result = await rampart.evaluator.handleEvent({
      version: '0',
      id: 'lambda-item',
      'detail-type': 'Config Configuration Item Change',
      source: 'aws.config',
      account: item.accountId,
      region: REGION,
      detail: {
        messageType: 'ConfigurationItemChangeNotification',
        configurationItem: { ...item, awsRegion: REGION },
      },
    });
    expect(result.status === 'handled' && result.resources[0]!.status).toBe('not-found');
    expect(clients.calls).toEqual(['GetFunctionConfigurationCommand']);
  });

  it('reverts a security group found open by a Config item, matching the live rules by content', async () => {
    const ec2 = new EC2Client({ region: REGION });
    try {
      const { GroupId } = await ec2.send(
        new CreateSecurityGroupCommand({ GroupName: 'config-open', Description: 'x' }),
      );
      for (const [port, cidr] of [
        [22, '0.0.0.0/0'],
        [443, '0.0.0.0/0'],
      ] as const) {
        await ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId,
            IpPermissions: [
              { IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr }] },
            ],
          }),
        );
      }
      const event = fixture('synthetic__ConfigItemChange-SecurityGroup.json');
      Object.assign(event.detail.configurationItem, {
        resourceId: GroupId,
        awsRegion: REGION,
        awsAccountId: '123456789012',
      });
      (event.detail.configurationItem.configuration as Record<string, unknown>).groupId = GroupId;
      const result = await rampart.evaluator.handleEvent(event);
      expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
        status: 'reverted',
        changes: [expect.stringMatching(/^revoked sgr-\w+ \(tcp 22 from 0.0.0.0\/0\)$/)],
      });
      const rules = await ec2.send(
        new DescribeSecurityGroupRulesCommand({
          Filters: [{ Name: 'group-id', Values: [GroupId!] }],
        }),
      );
      expect(rules.SecurityGroupRules!.filter((r) => !r.IsEgress).map((r) => r.FromPort)).toEqual([
        443,
      ]);
    } finally {
      ec2.destroy();
    }
  });
});

describe('oversized configuration items (Config mocked: moto knows only S3, IAM and SNS history)', () => {
  const config = mockClient(ConfigServiceClient);
  const clients = new RecordingClients({ maxAttempts: 1 });
  // Mode notify: this file tests the Config input, not the approval flow (the default mode).
  const rampart = createRampart({
    clients,
    config: parseConfig(
      { policies: { 'iam-no-admin-access': { mode: 'notify' } } },
      defaultCatalog(),
    ),
  });
  afterAll(() => {
    config.restore();
    clients.destroy();
  });

  it('fetches the item with GetResourceConfigHistory and judges it without describing the resource', async () => {
    // API/SDK shape: configuration is a JSON string, times are Dates.
    config.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        {
          version: '1.3',
          accountId: '123456789012',
          configurationItemCaptureTime: new Date('2026-11-20T09:18:00Z'),
          configurationItemStatus: 'OK',
          resourceType: 'AWS::IAM::Role',
          resourceId: 'AROAEXAMPLEOVERSIZED1',
          resourceName: 'oversized-role',
          arn: 'arn:aws:iam::123456789012:role/oversized-role',
          awsRegion: 'global',
          configuration: JSON.stringify({
            roleName: 'oversized-role',
            arn: 'arn:aws:iam::123456789012:role/oversized-role',
            attachedManagedPolicies: [
              {
                policyName: 'AdministratorAccess',
                policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
              },
            ],
            rolePolicyList: [],
          }),
          supplementaryConfiguration: {},
        },
      ],
    });
    const event = JSON.parse(
      readFileSync(
        join(REPO_ROOT, 'test/fixtures/events/synthetic__ConfigItemChange-IAMRole-Oversized.json'),
        'utf8',
      ),
    );
    const result = await rampart.evaluator.handleEvent(event);
    expect(
      config.commandCalls(GetResourceConfigHistoryCommand).map((c) => c.args[0].input),
    ).toEqual([{ resourceType: 'AWS::IAM::Role', resourceId: 'AROAEXAMPLEOVERSIZED1', limit: 1 }]);
    expect(result.status === 'handled' && result.resources[0]).toMatchObject({
      resource: { type: 'AWS::IAM::Role', id: 'role/oversized-role' },
      decisions: [{ policyId: 'iam-no-admin-access', action: 'notify' }],
    });
    // The mocked Config call bypasses the recorder: nothing else (no IAM read) was called.
    expect(clients.calls).toEqual([]);
  });

  it('reports a resource error (retried, then dead-lettered) when the history has no item', async () => {
    config.reset();
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    const event = JSON.parse(
      readFileSync(
        join(REPO_ROOT, 'test/fixtures/events/synthetic__ConfigItemChange-IAMRole-Oversized.json'),
        'utf8',
      ),
    );
    const result = await rampart.evaluator.handleEvent(event);
    expect(result.status === 'handled' && result.resources[0]).toMatchObject({
      status: 'error',
      error: expect.stringContaining(
        'GetResourceConfigHistory returned no item for AWS::IAM::Role AROAEXAMPLEOVERSIZED1',
      ),
    });
  });
});
