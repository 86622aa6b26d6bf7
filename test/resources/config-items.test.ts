import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import { normaliseConfigurationItem, type ConfigurationItem } from '../../src/events/config-item';
import { AwsClients } from '../../src/aws/clients';
import type { SecurityGroupRule } from '../../src/resources/ec2-security-group';
import { iamClient } from '../../src/resources/iam-principal';
import { SAMPLES_DIR } from '../support/samples';

const catalog = defaultCatalog();
const sampleItem = (name: string): ConfigurationItem => {
  const json = JSON.parse(readFileSync(join(SAMPLES_DIR, name), 'utf8'));
  return normaliseConfigurationItem(Array.isArray(json) ? json[0] : json);
};
const fromItem = (type: string, item: ConfigurationItem) =>
  catalog.resourceTypes.get(type)!.fromConfigItem!(item);
const item = (over: Partial<ConfigurationItem>): ConfigurationItem => ({
  resourceType: 'AWS::EC2::SecurityGroup',
  resourceId: 'x',
  account: '123456789012',
  region: 'eu-west-1',
  status: 'OK',
  captureTime: '2026-11-20T09:00:00.000Z',
  configuration: {},
  supplementaryConfiguration: {},
  tags: {},
  ...over,
});

describe('AWS Config item adapters', () => {
  it('normalises the API/history shape (accountId, arn, state id as a string)', () => {
    const table = sampleItem('rdk__ConfigItem-DynamoDBTable__1.json');
    expect(table).toMatchObject({
      resourceType: 'AWS::DynamoDB::Table',
      resourceId: 'test',
      account: '123456789012',
      region: 'us-east-2',
      arn: 'arn:aws:dynamodb:us-east-2:123456789012:table/test',
      configurationStateId: '1645459099450',
      captureTime: '2022-02-21T15:58:19.450Z',
    });
  });

  it('security group: legacy string ipRanges, IPv6, prefix lists and group references become rules', () => {
    const legacy = fromItem(
      'AWS::EC2::SecurityGroup',
      sampleItem('rdk__ConfigItem-SecurityGroup__1.json'),
    );
    expect(legacy.rules.filter((r: SecurityGroupRule) => !r.isEgress)).toEqual([
      { isEgress: false, protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' },
    ]);
    const sg = fromItem(
      'AWS::EC2::SecurityGroup',
      item({
        resourceId: 'sg-1',
        configuration: {
          groupId: 'sg-1',
          ipPermissions: [
            {
              ipProtocol: '6',
              fromPort: 443,
              toPort: 443,
              ipv4Ranges: [{ cidrIp: '10.0.0.0/8' }],
              ipRanges: ['10.0.0.0/8'],
              ipv6Ranges: [{ cidrIpv6: '::/0' }],
              prefixListIds: [{ prefixListId: 'pl-1' }],
              userIdGroupPairs: [{ groupId: 'sg-2', userId: '123456789012' }],
            },
          ],
          ipPermissionsEgress: [
            { ipProtocol: '-1', fromPort: null, toPort: null, ipRanges: ['0.0.0.0/0'] },
          ],
        },
      }),
    );
    expect(
      sg.rules.map((r: SecurityGroupRule) => [
        r.isEgress,
        r.protocol,
        r.cidrIpv4 ?? r.cidrIpv6 ?? r.prefixListId ?? r.referencedGroupId,
      ]),
    ).toEqual([
      [false, 'tcp', '10.0.0.0/8'],
      [false, 'tcp', '::/0'],
      [false, 'tcp', 'pl-1'],
      [false, 'tcp', 'sg-2'],
      [true, '-1', '0.0.0.0/0'],
    ]);
  });

  it('DynamoDB: SSE description in either casing', () => {
    const kms = fromItem(
      'AWS::DynamoDB::Table',
      item({
        resourceType: 'AWS::DynamoDB::Table',
        resourceId: 'orders',
        configuration: {
          tableName: 'orders',
          sSEDescription: { status: 'ENABLED', sSEType: 'KMS', kMSMasterKeyArn: 'arn:k' },
        },
      }),
    );
    expect(kms.sse).toEqual({ status: 'ENABLED', sseType: 'KMS', kmsKeyArn: 'arn:k' });
    expect(
      fromItem('AWS::DynamoDB::Table', sampleItem('rdk__ConfigItem-DynamoDBTable__1.json')).sse,
    ).toEqual({});
  });

  it('RDS: a real instance item, and a cluster item with storageEncrypted as a string', () => {
    const instance = fromItem(
      'AWS::RDS::Database',
      sampleItem('rdk__ConfigItem-RDSDBInstance__1.json'),
    );
    expect(instance).toMatchObject({
      kind: 'instance',
      identifier: 'myrdstest',
      storageEncrypted: true,
      ref: { type: 'AWS::RDS::DBInstance' },
    });
    const cluster = fromItem(
      'AWS::RDS::Database',
      item({
        resourceType: 'AWS::RDS::DBCluster',
        resourceId: 'cluster-ABC',
        configuration: { dBClusterIdentifier: 'ledger', storageEncrypted: 'false' },
      }),
    );
    expect(cluster).toMatchObject({
      kind: 'cluster',
      identifier: 'ledger',
      storageEncrypted: false,
      ref: {
        type: 'AWS::RDS::DBCluster',
        arn: 'arn:aws:rds:eu-west-1:123456789012:cluster:ledger',
      },
    });
  });

  it('SQS: string attributes; DLQ sources unknown from an item', () => {
    const q = fromItem(
      'AWS::SQS::Queue',
      item({
        resourceType: 'AWS::SQS::Queue',
        resourceId: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs.fifo',
        configuration: {
          QueueArn: 'arn:aws:sqs:eu-west-1:123456789012:jobs.fifo',
          FifoQueue: 'true',
          RedrivePolicy:
            '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:123456789012:jobs-dlq.fifo","maxReceiveCount":"4"}',
        },
        tags: { team: 'a' },
      }),
    );
    expect(q).toMatchObject({
      queueName: 'jobs.fifo',
      fifo: true,
      redrivePolicy: { maxReceiveCount: 4 },
      tags: { team: 'a' },
    });
    expect(q.deadLetterSourceQueueUrls).toBeUndefined();
  });

  it('EventBridge: targets in the API shape, bus named by ARN', () => {
    const rule = fromItem(
      'AWS::Events::Rule',
      item({
        resourceType: 'AWS::Events::Rule',
        resourceId: 'orders|order-created',
        configuration: {
          Name: 'order-created',
          EventBusName: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders',
          Targets: [{ Id: 't', Arn: 'arn:aws:sqs:eu-west-1:123456789012:q' }],
        },
      }),
    );
    expect(rule).toMatchObject({
      ruleName: 'order-created',
      eventBusName: 'orders',
      ref: { id: 'orders/order-created' },
      targets: [{ Id: 't' }],
    });
  });

  it('IAM: URL-encoded inline documents are decoded; managed policies listed by ARN', () => {
    const doc = encodeURIComponent(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      }),
    );
    const user = fromItem(
      'AWS::IAM::Principal',
      item({
        resourceType: 'AWS::IAM::User',
        resourceId: 'AIDAEXAMPLE',
        resourceName: 'alice',
        configuration: {
          userName: 'alice',
          arn: 'arn:aws:iam::123456789012:user/dev/alice',
          attachedManagedPolicies: [
            {
              policyName: 'AdministratorAccess',
              policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
            },
          ],
          userPolicyList: [{ policyName: 'inline', policyDocument: doc }],
        },
      }),
    );
    expect(user).toMatchObject({
      kind: 'user',
      name: 'alice',
      ref: { type: 'AWS::IAM::User', id: 'user/alice' },
      attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
      inlinePolicies: [{ name: 'inline', document: { Statement: [{ Action: '*' }] } }],
    });
  });
});

describe('IAM is global', () => {
  it('reaches the partition IAM region whatever region the event or item named', async () => {
    const clients = new AwsClients();
    try {
      const region = (scope: string) =>
        iamClient(clients, { account: '123456789012', region: scope }).config.region();
      expect(await region('global')).toBe('us-east-1');
      expect(await region('eu-west-1')).toBe('us-east-1');
      expect(await region('cn-northwest-1')).toBe('cn-north-1');
      expect(await region('us-gov-east-1')).toBe('us-gov-west-1');
    } finally {
      clients.destroy();
    }
  });
});
