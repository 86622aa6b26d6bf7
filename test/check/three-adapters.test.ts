import { EC2Client, type IpPermission } from '@aws-sdk/client-ec2';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { resolveTemplate } from '../../src/cloudformation/resolved';
import { parseTemplate } from '../../src/cloudformation/template';
import type { Snapshot } from '../../src/engine/definitions';
import type { ConfigurationItem } from '../../src/events/config-item';
import { OPEN_22, PRIVATE_5432, seedSecurityGroup } from '../support/ec2';

/**
 * One check, three inputs: each policy's fixtures as a live resource seeded in moto, an AWS
 * Config item and a CloudFormation resource must get the same verdict and the same offending
 * elements. Lambda functions and SNS subscriptions have no Config adapter (see
 * docs/shift-left.md), so they are compared on two inputs. The security group is included too.
 */
const REGION = 'ca-west-1'; // this file's own region in the shared moto server
const ACCOUNT = '123456789012';
const scope = { account: ACCOUNT, region: REGION };
const catalog = defaultCatalog();
const clients = new AwsClients({ maxAttempts: 1 });
const sdk = { region: REGION, maxAttempts: 1 };
afterAll(() => clients.destroy());

interface Case {
  name: string;
  live: () => Promise<{ type: string; id?: string; name?: string }>;
  config?: Partial<ConfigurationItem> & { configuration: Record<string, unknown> };
  cfn: { Type: string; Properties: Record<string, unknown> };
  /** Other resources the CloudFormation resource refers to. */
  cfnContext?: Record<string, unknown>;
  compliant: boolean;
}

function verdict(policyId: string, snapshot: Snapshot) {
  const policy = catalog.policies.get(policyId)!;
  const v = policy.evaluate(snapshot, policy.parameters.parse({}));
  return {
    compliant: v.compliant,
    elements: v.compliant !== false ? [] : v.finding.elements.map((e) => e.description),
  };
}

async function viaLive(c: Case) {
  const locator = await c.live();
  const snapshot = await catalog.resourceTypes
    .get(locator.type)!
    .collect(clients, { ...scope, ...locator } as never);
  expect(snapshot, `${c.name}: live resource read back`).toBeDefined();
  return snapshot!;
}

function viaConfig(type: string, c: Case) {
  const item: ConfigurationItem = {
    resourceType: c.cfn.Type,
    resourceId: c.name,
    resourceName: c.name,
    account: ACCOUNT,
    region: REGION,
    status: 'OK',
    captureTime: '2026-11-20T09:00:00.000Z',
    supplementaryConfiguration: {},
    tags: {},
    ...c.config!,
  };
  return catalog.resourceTypes.get(type)!.fromConfigItem!(item);
}

function viaTemplate(type: string, c: Case) {
  const template = parseTemplate(
    JSON.stringify({ Resources: { Subject: c.cfn, ...c.cfnContext } }),
    `${c.name}.json`,
  );
  const subject = catalog.resourceTypes.get(type)!.fromTemplate!(resolveTemplate(template)).find(
    (s) => s.logicalId === 'Subject',
  )!;
  if (!('snapshot' in subject)) throw new Error(`${c.name}: unknown: ${subject.unknown}`);
  return subject.snapshot;
}

function suite(policyId: string, type: string, cases: Case[]) {
  describe(`${policyId}: live, Config item and CloudFormation agree`, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const expected = verdict(policyId, await viaLive(c));
      expect(expected.compliant).toBe(c.compliant);
      if (c.config) expect(verdict(policyId, viaConfig(type, c)), 'Config item').toEqual(expected);
      expect(verdict(policyId, viaTemplate(type, c)), 'CloudFormation').toEqual(expected);
    });
  });
}

const unique = (base: string) => `${base}-${Date.now().toString(36)}`;

// ---------------------------------------------------------------- DynamoDB
const table = (name: string, sse?: { KMSMasterKeyId: string }): Case => ({
  name,
  compliant: !!sse,
  async live() {
    await new DynamoDBClient(sdk).send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        ...(sse ? { SSESpecification: { Enabled: true, SSEType: 'KMS', ...sse } } : {}),
      }),
    );
    return { type: 'AWS::DynamoDB::Table', id: name };
  },
  config: {
    configuration: {
      tableName: name,
      ...(sse
        ? {
            sseDescription: {
              status: 'ENABLED',
              sseType: 'KMS',
              kmsMasterKeyArn: sse.KMSMasterKeyId,
            },
          }
        : {}),
    },
  },
  cfn: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      TableName: name,
      ...(sse
        ? {
            SSESpecification: {
              SSEEnabled: true,
              SSEType: 'KMS',
              KMSMasterKeyId: sse.KMSMasterKeyId,
            },
          }
        : {}),
    },
  },
});
const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
suite('dynamodb-encrypted-kms', 'AWS::DynamoDB::Table', [
  table(unique('kms-table'), { KMSMasterKeyId: keyArn }),
  table(unique('owned-key-table')),
]);

// ---------------------------------------------------------------- RDS
const db = (name: string, encrypted: boolean): Case => ({
  name,
  compliant: encrypted,
  async live() {
    await new RDSClient(sdk).send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: name,
        DBInstanceClass: 'db.t3.micro',
        Engine: 'postgres',
        AllocatedStorage: 20,
        MasterUsername: 'app',
        MasterUserPassword: 'not-a-secret-123',
        StorageEncrypted: encrypted,
      }),
    );
    return { type: 'AWS::RDS::Database', id: `db:${name}` };
  },
  config: {
    configuration: { dBInstanceIdentifier: name, engine: 'postgres', storageEncrypted: encrypted },
  },
  cfn: {
    Type: 'AWS::RDS::DBInstance',
    Properties: { DBInstanceIdentifier: name, Engine: 'postgres', StorageEncrypted: encrypted },
  },
});
suite('rds-encrypted', 'AWS::RDS::Database', [
  db(unique('encrypted-db'), true),
  db(unique('plain-db'), false),
]);

// ---------------------------------------------------------------- SQS
const sqs = () => new SQSClient(sdk);
async function createQueue(name: string, attributes: Record<string, string> = {}) {
  const { QueueUrl } = await sqs().send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  const arn = (
    await sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  return { url: QueueUrl!, arn };
}
const dlqName = unique('parked-dlq');
const dlqArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${dlqName}`;
const queue = (name: string, redrive: boolean): Case => {
  const redrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
  return {
    name,
    compliant: redrive,
    async live() {
      if (redrive) await createQueue(dlqName);
      await createQueue(name, redrive ? { RedrivePolicy: redrivePolicy } : {});
      return { type: 'AWS::SQS::Queue', name };
    },
    config: {
      resourceId: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`,
      configuration: {
        QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
        ...(redrive ? { RedrivePolicy: redrivePolicy } : {}),
      },
    },
    cfn: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: name,
        ...(redrive
          ? {
              RedrivePolicy: {
                deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] },
                maxReceiveCount: 3,
              },
            }
          : {}),
      },
    },
    cfnContext: { Dlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: dlqName } } },
  };
};
suite('sqs-has-dlq', 'AWS::SQS::Queue', [
  queue(unique('redriven'), true),
  queue(unique('no-redrive'), false),
]);

// ---------------------------------------------------------------- Lambda
const roleArn = `arn:aws:iam::${ACCOUNT}:role/three-adapters-lambda`;
let roleReady: Promise<unknown> | undefined;
const lambdaFn = (name: string, onFailure: boolean): Case => ({
  name,
  compliant: onFailure,
  async live() {
    roleReady ??= new IAMClient({ ...sdk, region: 'us-east-1' })
      .send(
        new CreateRoleCommand({
          RoleName: 'three-adapters-lambda',
          AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
        }),
      )
      .catch((e: { name?: string }) => {
        if (e.name !== 'EntityAlreadyExistsException') throw e;
      });
    await roleReady;
    const lambda = new LambdaClient(sdk);
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: roleArn,
        Handler: 'index.handler',
        Code: { ZipFile: Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64') },
      }),
    );
    if (onFailure) {
      const { arn } = await createQueue(`${name}-failures`);
      await lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: name,
          DestinationConfig: { OnFailure: { Destination: arn } },
        }),
      );
    }
    return { type: 'AWS::Lambda::Function', id: name };
  },
  cfn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: name, Role: roleArn } },
  cfnContext: onFailure
    ? {
        Failures: { Type: 'AWS::SQS::Queue', Properties: {} },
        InvokeConfig: {
          Type: 'AWS::Lambda::EventInvokeConfig',
          Properties: {
            FunctionName: { Ref: 'Subject' },
            Qualifier: '$LATEST',
            DestinationConfig: {
              OnFailure: { Destination: { 'Fn::GetAtt': ['Failures', 'Arn'] } },
            },
          },
        },
      }
    : {},
});
suite('lambda-has-dlq', 'AWS::Lambda::Function', [
  lambdaFn(unique('with-destination'), true),
  lambdaFn(unique('fire-and-forget'), false),
]);

// ---------------------------------------------------------------- SNS
const subscription = (name: string, redrive: boolean): Case => ({
  name,
  compliant: redrive,
  async live() {
    const sns = new SNSClient(sdk);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
    const endpoint = await createQueue(`${name}-endpoint`);
    const dlq = redrive ? await createQueue(`${name}-dlq`) : undefined;
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: endpoint.arn,
        ReturnSubscriptionArn: true,
        ...(dlq
          ? { Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) } }
          : {}),
      }),
    );
    return { type: 'AWS::SNS::Subscription', id: SubscriptionArn! };
  },
  cfn: {
    Type: 'AWS::SNS::Subscription',
    Properties: {
      TopicArn: { Ref: 'Topic' },
      Protocol: 'sqs',
      Endpoint: { 'Fn::GetAtt': ['Endpoint', 'Arn'] },
      ...(redrive
        ? { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } }
        : {}),
    },
  },
  cfnContext: {
    Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
    Endpoint: { Type: 'AWS::SQS::Queue', Properties: {} },
    Dlq: { Type: 'AWS::SQS::Queue', Properties: {} },
  },
});
suite('sns-subscription-has-dlq', 'AWS::SNS::Subscription', [
  subscription(unique('redriven-sub'), true),
  subscription(unique('lossy-sub'), false),
]);

// ---------------------------------------------------------------- EventBridge
const rule = (name: string, withDlq: boolean): Case => {
  const targetArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}-target`;
  const target = {
    Id: 'orders',
    Arn: targetArn,
    ...(withDlq ? { DeadLetterConfig: { Arn: dlqArn } } : {}),
  };
  return {
    name,
    compliant: withDlq,
    async live() {
      const events = new EventBridgeClient(sdk);
      await events.send(
        new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: ['app'] }) }),
      );
      await events.send(new PutTargetsCommand({ Rule: name, Targets: [target] }));
      return { type: 'AWS::Events::Rule', id: name, name };
    },
    config: { configuration: { name, eventBusName: 'default', targets: [target] } },
    cfn: {
      Type: 'AWS::Events::Rule',
      Properties: { Name: name, EventPattern: { source: ['app'] }, Targets: [target] },
    },
  };
};
suite('eventbridge-target-has-dlq', 'AWS::Events::Rule', [
  rule(unique('rule-with-dlq'), true),
  rule(unique('rule-without-dlq'), false),
]);

// ---------------------------------------------------------------- IAM
const user = (name: string, action: string): Case => {
  const document = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
  };
  return {
    name,
    compliant: action !== '*',
    async live() {
      const iam = new IAMClient({ ...sdk, region: 'us-east-1' });
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(
        new PutUserPolicyCommand({
          UserName: name,
          PolicyName: 'inline',
          PolicyDocument: JSON.stringify(document),
        }),
      );
      return { type: 'AWS::IAM::Principal', id: `user/${name}` };
    },
    config: {
      region: 'global',
      configuration: {
        userName: name,
        attachedManagedPolicies: [],
        userPolicyList: [
          { policyName: 'inline', policyDocument: encodeURIComponent(JSON.stringify(document)) },
        ],
      },
    },
    cfn: {
      Type: 'AWS::IAM::User',
      Properties: {
        UserName: name,
        Policies: [{ PolicyName: 'inline', PolicyDocument: document }],
      },
    },
  };
};
suite('iam-no-admin-access', 'AWS::IAM::Principal', [
  user(unique('reader'), 's3:GetObject'),
  user(unique('admin'), '*'),
]);

// ---------------------------------------------------------------- Security group
const securityGroup = (name: string, permission: IpPermission): Case => ({
  name,
  compliant: permission.IpRanges?.[0]?.CidrIp !== '0.0.0.0/0',
  async live() {
    const id = await seedSecurityGroup(new EC2Client(sdk), [permission]);
    return { type: 'AWS::EC2::SecurityGroup', id };
  },
  config: {
    configuration: {
      groupId: name,
      ipPermissions: [
        {
          ipProtocol: permission.IpProtocol,
          fromPort: permission.FromPort,
          toPort: permission.ToPort,
          ipv4Ranges: permission.IpRanges!.map((r) => ({ cidrIp: r.CidrIp })),
        },
      ],
    },
  },
  cfn: {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: {
      GroupDescription: name,
      SecurityGroupIngress: [
        {
          IpProtocol: permission.IpProtocol,
          FromPort: permission.FromPort,
          ToPort: permission.ToPort,
          CidrIp: permission.IpRanges![0]!.CidrIp,
        },
      ],
    },
  },
});
suite('sg-no-public-ingress', 'AWS::EC2::SecurityGroup', [
  securityGroup('private-postgres', PRIVATE_5432),
  securityGroup('ssh-from-anywhere', OPEN_22),
]);
