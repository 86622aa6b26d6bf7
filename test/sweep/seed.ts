import {
  CloudTrailClient,
  CreateTrailCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeSecurityGroupRulesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  GetFunctionEventInvokeConfigCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateDBInstanceCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { EnableKeyRotationCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { createFunctionWithRole } from '../../src/local/lambda-function';
import { OPEN_22, PRIVATE_5432, seedSecurityGroup } from '../support/ec2';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});

export interface Seeded {
  /** Resource id (as findings name it) → a readable label such as `sg:open`. */
  labels: Map<string, string>;
  /** Ids of the resources an exception covers, by policy. */
  excepted: { sg: string; queueUrl: string; queueArn: string; sgArn: string };
  /** Reads the state of every compliant twin (must not change across scans). */
  twins(): Promise<unknown>;
}

export interface SeedClients {
  ec2: EC2Client;
  sqs: SQSClient;
  ddb: DynamoDBClient;
  lambda: LambdaClient;
  iam: IAMClient;
  rds: RDSClient;
  sns: SNSClient;
  events: EventBridgeClient;
}

/**
 * moto creates the key behind alias/aws/dynamodb (an AWS-managed key in AWS, which
 * kms-key-rotation-enabled does not judge) as a customer key without rotation: turned on
 * here so the seeded account holds only the violations it is meant to (docs/testing.md).
 */
async function rotateMotoDynamoDbKey(region: string) {
  const kms = new KMSClient({ region });
  try {
    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
    const key = aliases.find((a) => a.AliasName === 'alias/aws/dynamodb')?.TargetKeyId;
    if (key) await kms.send(new EnableKeyRotationCommand({ KeyId: key }));
  } finally {
    kms.destroy();
  }
}

/** Point-in-time recovery on, as Rampart's own stacks create their tables. */
/** Point-in-time recovery and deletion protection on, as Rampart's CDK app deploys its tables. */
export async function protectTable(ddb: DynamoDBClient, TableName: string) {
  await ddb.send(
    new UpdateContinuousBackupsCommand({
      TableName,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    }),
  );
  await ddb.send(new UpdateTableCommand({ TableName, DeletionProtectionEnabled: true }));
}

export function seedClients(region: string): SeedClients {
  return {
    ec2: new EC2Client({ region }),
    sqs: new SQSClient({ region }),
    ddb: new DynamoDBClient({ region }),
    lambda: new LambdaClient({ region }),
    iam: new IAMClient({ region }),
    rds: new RDSClient({ region }),
    sns: new SNSClient({ region }),
    events: new EventBridgeClient({ region }),
  };
}

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

async function queue(sqs: SQSClient, name: string, attributes: Record<string, string> = {}) {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes })))
    .QueueUrl!;
  const arn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  return { url, arn };
}

/**
 * One violation of every policy, a compliant twin of each, and an excepted security group
 * and queue (the caller grants the exceptions). Auxiliary queues are named `*-dlq`, so
 * they are dead-letter queues by convention and judged compliant.
 */

/**
 * The account's record, as every account should have it: a multi-region trail, logging,
 * with log file validation, into a bucket that blocks public access and refuses plain HTTP
 * (so the seeded account holds no account-wide violation).
 */
async function seedAccountTrail(region: string) {
  const s3 = new S3Client({ region });
  const ct = new CloudTrailClient({ region });
  const bucket = 'seed-account-trail-logs';
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
      }),
    );
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    const arn = `arn:aws:s3:::${bucket}`;
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: [arn, `${arn}/*`],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        }),
      }),
    );
    await ct.send(
      new CreateTrailCommand({
        Name: 'seed-account-trail',
        S3BucketName: bucket,
        IsMultiRegionTrail: true,
        EnableLogFileValidation: true,
      }),
    );
    await ct.send(new StartLoggingCommand({ Name: 'seed-account-trail' }));
  } finally {
    s3.destroy();
    ct.destroy();
  }
}

export async function seedEveryPolicy(c: SeedClients): Promise<Seeded> {
  const labels = new Map<string, string>();
  await seedAccountTrail(await c.ec2.config.region());
  const [sgOpen, sgPrivate, sgExcepted, dlq] = await Promise.all([
    seedSecurityGroup(c.ec2, [OPEN_22]),
    seedSecurityGroup(c.ec2, [PRIVATE_5432]),
    seedSecurityGroup(c.ec2, [OPEN_22]),
    queue(c.sqs, 'shared-dlq'),
  ]);
  labels.set(sgOpen, 'sg:open').set(sgExcepted, 'sg:excepted').set(sgPrivate, 'sg:private');
  const redrive = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 });
  const [qOrders, qExcepted, qTwin, topicArn] = await Promise.all([
    queue(c.sqs, 'orders'),
    queue(c.sqs, 'legacy'),
    queue(c.sqs, 'payments', { RedrivePolicy: redrive }),
    c.sns
      .send(
        // Encrypted: the topic is here for its subscriptions' policy only.
        new CreateTopicCommand({ Name: 'events', Attributes: { KmsMasterKeyId: 'alias/aws/sns' } }),
      )
      .then((o) => o.TopicArn!),
  ]);
  labels.set(qOrders.url, 'sqs:orders').set(qExcepted.url, 'sqs:legacy');

  const subscribe = async (endpoint: string, attributes?: Record<string, string>) =>
    (
      await c.sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: endpoint,
          ReturnSubscriptionArn: true,
          ...(attributes ? { Attributes: attributes } : {}),
        }),
      )
    ).SubscriptionArn!;
  const [audit, billing] = await Promise.all([
    queue(c.sqs, 'audit-dlq'),
    queue(c.sqs, 'billing-dlq'),
  ]);
  const [subPlain, subTwin] = await Promise.all([
    subscribe(audit.arn),
    subscribe(billing.arn, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    }),
  ]);
  labels.set(subPlain, 'sns:plain');

  await Promise.all([
    c.ddb.send(
      new CreateTableCommand({
        TableName: 'plain-table',
        DeletionProtectionEnabled: true,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    ),
    c.ddb.send(
      new CreateTableCommand({
        TableName: 'kms-table',
        DeletionProtectionEnabled: true,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        SSESpecification: { Enabled: true, SSEType: 'KMS' },
      }),
    ),
    c.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'plain-db',
        DeletionProtection: true,
        BackupRetentionPeriod: 7,
        MultiAZ: true,
        Engine: 'postgres',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: 20,
        MasterUsername: 'admin1',
        MasterUserPassword: 'password123',
      }),
    ),
    c.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'encrypted-db',
        DeletionProtection: true,
        BackupRetentionPeriod: 7,
        MultiAZ: true,
        Engine: 'postgres',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: 20,
        MasterUsername: 'admin1',
        MasterUserPassword: 'password123',
        StorageEncrypted: true,
      }),
    ),
  ]);
  labels.set('plain-table', 'ddb:plain').set('plain-db', 'rds:plain');
  // Point-in-time recovery: on for both tables above (each violates only what it is for), off
  // for a KMS-encrypted table of its own.
  await c.ddb.send(
    new CreateTableCommand({
      TableName: 'no-pitr-table',
      DeletionProtectionEnabled: true,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      SSESpecification: { Enabled: true, SSEType: 'KMS' },
    }),
  );
  await Promise.all(
    ['plain-table', 'kms-table'].map((TableName) => protectTable(c.ddb, TableName)),
  );
  await rotateMotoDynamoDbKey(await c.ddb.config.region());
  labels.set('no-pitr-table', 'ddb:no-pitr');

  const [fnPlain, fnTwin] = await Promise.all([
    createFunctionWithRole(c.iam, c.lambda, 'thumbnails'),
    createFunctionWithRole(c.iam, c.lambda, 'resizer'),
  ]);
  await c.lambda.send(
    new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'resizer',
      DestinationConfig: { OnFailure: { Destination: dlq.arn } },
    }),
  );
  labels.set('thumbnails', 'lambda:plain');
  void fnPlain;

  const pattern = JSON.stringify({ source: ['orders'] });
  await Promise.all([
    c.events.send(new PutRuleCommand({ Name: 'nightly', EventPattern: pattern })),
    c.events.send(new PutRuleCommand({ Name: 'hourly', EventPattern: pattern })),
  ]);
  const [ebTarget, ebTwinTarget] = await Promise.all([
    queue(c.sqs, 'nightly-target-dlq'),
    queue(c.sqs, 'hourly-target-dlq'),
  ]);
  await Promise.all([
    c.events.send(
      new PutTargetsCommand({ Rule: 'nightly', Targets: [{ Id: 't1', Arn: ebTarget.arn }] }),
    ),
    c.events.send(
      new PutTargetsCommand({
        Rule: 'hourly',
        Targets: [{ Id: 't1', Arn: ebTwinTarget.arn, DeadLetterConfig: { Arn: dlq.arn } }],
      }),
    ),
  ]);

  await Promise.all([
    c.iam.send(new CreateRoleCommand({ RoleName: 'ops-admin', AssumeRolePolicyDocument: TRUST })),
    c.iam.send(new CreateRoleCommand({ RoleName: 'ops-reader', AssumeRolePolicyDocument: TRUST })),
  ]);
  await Promise.all([
    c.iam.send(new AttachRolePolicyCommand({ RoleName: 'ops-admin', PolicyArn: ADMIN })),
    c.iam.send(new AttachRolePolicyCommand({ RoleName: 'ops-reader', PolicyArn: READ_ONLY })),
  ]);

  const sgArn = (id: string, region: string, account: string) =>
    `arn:aws:ec2:${region}:${account}:security-group/${id}`;
  return {
    labels,
    excepted: {
      sg: sgExcepted,
      sgArn: sgArn(sgExcepted, await c.ec2.config.region(), '123456789012'),
      queueUrl: qExcepted.url,
      queueArn: qExcepted.arn,
    },
    twins: async () => ({
      sg: (
        await c.ec2.send(
          new DescribeSecurityGroupRulesCommand({
            Filters: [{ Name: 'group-id', Values: [sgPrivate] }],
          }),
        )
      ).SecurityGroupRules?.map((r) => [r.IpProtocol, r.FromPort, r.CidrIpv4, r.IsEgress]),
      queue: (
        await c.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: qTwin.url, AttributeNames: ['RedrivePolicy'] }),
        )
      ).Attributes,
      subscription: (
        await c.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subTwin }))
      ).Attributes?.RedrivePolicy,
      fn: (
        await c.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'resizer' }))
      ).DestinationConfig,
      rule: (await c.events.send(new ListTargetsByRuleCommand({ Rule: 'hourly' }))).Targets,
      role: (await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'ops-reader' })))
        .AttachedPolicies,
      db: (
        await c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'encrypted-db' }))
      ).DBInstances?.[0]?.StorageEncrypted,
      fnTwinRole: fnTwin.roleName,
    }),
  };
}
