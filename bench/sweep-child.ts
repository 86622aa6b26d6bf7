/**
 * One measured run of bench/sweep.ts in a fresh process (so its peak RSS is its own):
 * `sweep` runs Rampart's read-only sweep; `floor` makes, with a bare SDK, only the calls the
 * verdicts need, each the one returning the most per call, under the sweep's concurrency;
 * `serial` makes the same calls one after another (a plain per-resource script, as a
 * boto3 or Cloud Custodian pass runs). Prints one JSON line, with the calls per IAM action.
 */
import {
  DynamoDBClient,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
import { CloudWatchLogsClient, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  EC2Client,
  paginateDescribeInstances,
  paginateDescribeSecurityGroups,
} from '@aws-sdk/client-ec2';
import {
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import { IAMClient, paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import {
  GetFunctionEventInvokeConfigCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  paginateListEventSourceMappings,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import {
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { S3Client, paginateListBuckets } from '@aws-sdk/client-s3';
import {
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  SNSClient,
  paginateListSubscriptions,
  paginateListTopics,
} from '@aws-sdk/client-sns';
import {
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  SQSClient,
  paginateListQueues,
} from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createWriteStream, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { createRampart } from '../src/app';
import { AwsClients } from '../src/aws/clients';
import { observeCalls } from '../src/aws/calls';
import { Sweeper } from '../src/sweep/sweep';

const mode = process.argv[2];
const concurrency = Number(process.argv[3] ?? 16);
const region = process.env.AWS_REGION ?? 'us-east-1';
const calls: Record<string, number> = {};
const count = (action: string) => {
  calls[action] = (calls[action] ?? 0) + 1;
};

/** What `rampart scan` does once its modules are loaded (module loading is not timed). */
async function sweep(): Promise<{ resources: number; findings: number }> {
  observeCalls(({ action }) => count(action));
  const clients = new AwsClients({ retryMode: 'adaptive' });
  const rampart = createRampart({
    clients,
    reporters: [],
    logStream: createWriteStream('/dev/null'),
  });
  const { summary, findings } = await new Sweeper(rampart).run({
    regions: [region],
    remediate: false,
  });
  clients.destroy();
  if (summary.errors.length) throw new Error(JSON.stringify(summary.errors));
  return { resources: summary.resources, findings: findings.length };
}

/**
 * The least a correct pass needs: listings at their largest page, one detail read where
 * the listing lacks what a verdict needs (DescribeTable and DescribeContinuousBackups,
 * GetQueueAttributes, the event-invoke config, a subscription's redrive, a trail's status), and a queue's tags only where its verdict
 * turns on them (no redrive policy, not a dead-letter queue by name or by its sources).
 */
async function floor(serial: boolean): Promise<{ resources: number }> {
  type Limit = <T>(fn: () => Promise<T>) => Promise<T>;
  const limit: Limit = pLimit(serial ? 1 : concurrency);
  // As in the sweep, listings page side by side outside the bound on detail reads.
  const pageLimit: Limit = serial ? limit : (fn) => fn();
  const scope = { region };
  const send = <T>(action: string, call: () => Promise<T>) =>
    limit(() => {
      count(action);
      return call();
    });
  /** Each page's call counted (the paginators send them). */
  async function* pages<P>(action: string, paginator: AsyncIterable<P>): AsyncGenerator<P> {
    const it = paginator[Symbol.asyncIterator]();
    for (;;) {
      const next = await pageLimit(() => it.next());
      if (next.done) return;
      count(action);
      yield next.value;
    }
  }
  const ec2 = new EC2Client(scope);
  const sqs = new SQSClient(scope);
  const ddb = new DynamoDBClient(scope);
  const lambda = new LambdaClient(scope);
  const rds = new RDSClient(scope);
  const sns = new SNSClient(scope);
  const events = new EventBridgeClient(scope);
  const iam = new IAMClient(scope);
  const s3 = new S3Client(scope);
  const sts = new STSClient(scope);
  const cloudtrail = new CloudTrailClient(scope);
  const kms = new KMSClient(scope);
  const cwlogs = new CloudWatchLogsClient(scope);
  let resources = 0;

  const instances = async () => {
    for await (const page of pages(
      'ec2:DescribeInstances',
      paginateDescribeInstances({ client: ec2 }, { MaxResults: 1000 }),
    ))
      resources += (page.Reservations ?? []).flatMap((r) => r.Instances ?? []).length;
  };
  const groups = async () => {
    for await (const page of pages(
      'ec2:DescribeSecurityGroups',
      paginateDescribeSecurityGroups({ client: ec2 }, { MaxResults: 1000 }),
    ))
      resources += page.SecurityGroups?.length ?? 0;
  };
  const queues = async () => {
    const urls: string[] = [];
    for await (const page of pages(
      'sqs:ListQueues',
      paginateListQueues({ client: sqs }, { MaxResults: 1000 }),
    ))
      urls.push(...(page.QueueUrls ?? []));
    const attrs = await Promise.all(
      urls.map((QueueUrl) =>
        send('sqs:GetQueueAttributes', () =>
          sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })),
        ).then((o) => ({ url: QueueUrl, a: o.Attributes ?? {} })),
      ),
    );
    const targets = new Set(
      attrs.flatMap(({ a }) =>
        a.RedrivePolicy ? [JSON.parse(a.RedrivePolicy).deadLetterTargetArn as string] : [],
      ),
    );
    const undecided = attrs.filter(
      ({ url, a }) => !a.RedrivePolicy && !targets.has(a.QueueArn!) && !/-dlq(\.fifo)?$/i.test(url),
    );
    await Promise.all(
      undecided.map(({ url }) =>
        send('sqs:ListQueueTags', () => sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))),
      ),
    );
    resources += urls.length;
  };
  const tables = async () => {
    const reads: Promise<unknown>[] = [];
    for await (const page of pages(
      'dynamodb:ListTables',
      paginateListTables({ client: ddb }, { Limit: 100 }),
    )) {
      for (const TableName of page.TableNames ?? []) {
        reads.push(
          send('dynamodb:DescribeTable', () => ddb.send(new DescribeTableCommand({ TableName }))),
          send('dynamodb:DescribeContinuousBackups', () =>
            ddb.send(new DescribeContinuousBackupsCommand({ TableName })),
          ),
        );
      }
    }
    resources += (await Promise.all(reads)).length / 2;
  };
  const trails = async () => {
    const listed = await send('cloudtrail:DescribeTrails', () =>
      cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: false })),
    );
    await Promise.all(
      (listed.trailList ?? []).map((t) =>
        send('cloudtrail:GetTrailStatus', () =>
          cloudtrail.send(new GetTrailStatusCommand({ Name: t.TrailARN })),
        ),
      ),
    );
    resources += listed.trailList?.length ?? 0;
  };
  const keys = async () => {
    const listed = await send('kms:ListKeys', () => kms.send(new ListKeysCommand({ Limit: 1000 })));
    await Promise.all(
      (listed.Keys ?? []).map(async ({ KeyId }) => {
        const meta = await send('kms:DescribeKey', () =>
          kms.send(new DescribeKeyCommand({ KeyId })),
        );
        if (meta.KeyMetadata?.KeyManager !== 'CUSTOMER') return;
        await send('kms:GetKeyRotationStatus', () =>
          kms.send(new GetKeyRotationStatusCommand({ KeyId })),
        );
      }),
    );
    resources += listed.Keys?.length ?? 0;
  };
  const topics = async () => {
    const reads: Promise<unknown>[] = [];
    for await (const page of pages('sns:ListTopics', paginateListTopics({ client: sns }, {}))) {
      for (const t of page.Topics ?? []) {
        reads.push(
          send('sns:GetTopicAttributes', () =>
            sns.send(new GetTopicAttributesCommand({ TopicArn: t.TopicArn })),
          ),
        );
      }
    }
    resources += (await Promise.all(reads)).length;
  };
  const logGroups = async () => {
    for await (const page of pages(
      'logs:DescribeLogGroups',
      paginateDescribeLogGroups({ client: cwlogs }, { limit: 50 }),
    ))
      resources += page.logGroups?.length ?? 0;
  };
  const functions = async () => {
    const reads: Promise<unknown>[] = [];
    for await (const page of pages(
      'lambda:ListFunctions',
      paginateListFunctions({ client: lambda }, { MaxItems: 50 }),
    )) {
      for (const fn of page.Functions ?? []) {
        // None configured answers ResourceNotFoundException: each is caught.
        reads.push(
          send('lambda:GetFunctionEventInvokeConfig', () =>
            lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: fn.FunctionName })),
          ).catch(() => undefined),
          // Who may invoke it (lambda-not-public, lambda-function-url-auth).
          send('lambda:GetPolicy', () =>
            lambda.send(new GetPolicyCommand({ FunctionName: fn.FunctionName })),
          ).catch(() => undefined),
          send('lambda:GetFunctionUrlConfig', () =>
            lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: fn.FunctionName })),
          ).catch(() => undefined),
        );
      }
    }
    resources += (await Promise.all(reads)).length / 3;
  };
  // Event source mappings (sqs-visibility-covers-function): the world seeds none, so no
  // function or queue is read for them.
  const eventSources = async () => {
    for await (const page of pages(
      'lambda:ListEventSourceMappings',
      paginateListEventSourceMappings({ client: lambda }, { MaxItems: 100 }),
    ))
      resources += page.EventSourceMappings?.length ?? 0;
  };
  const databases = async () => {
    const [clusters, instances, snapshots, clusterSnapshots] = await Promise.all([
      send('rds:DescribeDBClusters', () =>
        rds.send(new DescribeDBClustersCommand({ MaxRecords: 100 })),
      ),
      send('rds:DescribeDBInstances', () =>
        rds.send(new DescribeDBInstancesCommand({ MaxRecords: 100 })),
      ),
      // Manual snapshots (rds-snapshot-not-public); the world seeds none, so no attribute reads.
      send('rds:DescribeDBSnapshots', () =>
        rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: 100 })),
      ),
      send('rds:DescribeDBClusterSnapshots', () =>
        rds.send(
          new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: 100 }),
        ),
      ),
    ]);
    resources +=
      (clusters.DBClusters?.length ?? 0) +
      (instances.DBInstances?.length ?? 0) +
      (snapshots.DBSnapshots?.length ?? 0) +
      (clusterSnapshots.DBClusterSnapshots?.length ?? 0);
  };
  const subscriptions = async () => {
    const reads: Promise<unknown>[] = [];
    for await (const page of pages(
      'sns:ListSubscriptions',
      paginateListSubscriptions({ client: sns }, {}),
    )) {
      for (const s of page.Subscriptions ?? []) {
        reads.push(
          send('sns:GetSubscriptionAttributes', () =>
            sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn })),
          ),
        );
      }
    }
    resources += (await Promise.all(reads)).length;
  };
  const rules = async () => {
    const buses = await send('events:ListEventBuses', () =>
      events.send(new ListEventBusesCommand({ Limit: 100 })),
    );
    for (const bus of buses.EventBuses ?? []) {
      const listed = await send('events:ListRules', () =>
        events.send(new ListRulesCommand({ EventBusName: bus.Name, Limit: 100 })),
      );
      await Promise.all(
        (listed.Rules ?? []).map((rule) =>
          send('events:ListTargetsByRule', () =>
            events.send(new ListTargetsByRuleCommand({ Rule: rule.Name, EventBusName: bus.Name })),
          ),
        ),
      );
      resources += listed.Rules?.length ?? 0;
    }
  };
  const principals = async () => {
    for await (const page of pages(
      'iam:GetAccountAuthorizationDetails',
      paginateGetAccountAuthorizationDetails(
        { client: iam },
        { Filter: ['User', 'Group', 'Role', 'LocalManagedPolicy'], MaxItems: 1000 },
      ),
    )) {
      resources +=
        (page.UserDetailList?.length ?? 0) +
        (page.GroupDetailList?.length ?? 0) +
        (page.RoleDetailList?.length ?? 0);
    }
  };
  const buckets = async () => {
    for await (const page of pages(
      's3:ListAllMyBuckets',
      paginateListBuckets({ client: s3 }, { MaxBuckets: 1000 }),
    ))
      resources += page.Buckets?.length ?? 0;
  };

  await send('sts:GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
  const listings = [
    groups,
    queues,
    tables,
    functions,
    eventSources,
    databases,
    subscriptions,
    rules,
    principals,
    buckets,
    trails,
    keys,
    logGroups,
    topics,
    instances,
  ];
  if (serial) for (const list of listings) await list();
  else await Promise.all(listings.map((list) => list()));
  for (const c of [ec2, sqs, ddb, lambda, rds, sns, events, iam, s3, sts, cloudtrail, kms])
    c.destroy();
  return { resources };
}

/** This process's own peak (VmHWM): ru_maxrss would carry the parent's across fork/exec. */
function peakRssMB(): number {
  const kb = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : process.resourceUsage().maxRSS / 1024;
}

const started = performance.now();
const result = mode === 'sweep' ? await sweep() : await floor(mode === 'serial');
const ms = performance.now() - started;
const cpu = process.cpuUsage();
const cpuMs = (cpu.user + cpu.system) / 1000;
const total = Object.values(calls).reduce((n, c) => n + c, 0);
process.stdout.write(
  `${JSON.stringify({ mode, ms, ...result, calls: total, byAction: calls, cpuMs, rssMB: peakRssMB() })}\n`,
);
