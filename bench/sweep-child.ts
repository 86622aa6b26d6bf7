/**
 * One measured run of bench/sweep.ts in a fresh process (so its peak RSS is its own):
 * `sweep` runs Rampart's read-only sweep; `floor` makes only the list/describe calls the
 * sweep needs, one after another, with a bare SDK. Prints one JSON line.
 */
import { DynamoDBClient, DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  GetFunctionEventInvokeConfigCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { ListSubscriptionsCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRampart } from '../src/app';
import { AwsClients } from '../src/aws/clients';
import { Sweeper } from '../src/sweep/sweep';

const mode = process.argv[2];
const region = process.env.AWS_REGION ?? 'us-east-1';

/** What `rampart scan` does once its modules are loaded (module loading is not timed). */
async function sweep(): Promise<{ resources: number; findings: number }> {
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

/** The same calls as the enumerators, serially; no evaluation. */
async function floor(): Promise<{ resources: number; calls: number }> {
  const scope = { region };
  let calls = 0;
  const send = <T>(p: Promise<T>) => {
    calls++;
    return p;
  };
  const ec2 = new EC2Client(scope);
  const sqs = new SQSClient(scope);
  const ddb = new DynamoDBClient(scope);
  const lambda = new LambdaClient(scope);
  const rds = new RDSClient(scope);
  const sns = new SNSClient(scope);
  const events = new EventBridgeClient(scope);
  const iam = new IAMClient(scope);
  await send(new STSClient(scope).send(new GetCallerIdentityCommand({})));
  let resources = 0;
  resources += (await send(ec2.send(new DescribeSecurityGroupsCommand({})))).SecurityGroups!.length;
  await send(ec2.send(new DescribeSecurityGroupRulesCommand({})));
  const urls = (await send(sqs.send(new ListQueuesCommand({})))).QueueUrls ?? [];
  for (const QueueUrl of urls) {
    await send(sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })));
    await send(sqs.send(new ListQueueTagsCommand({ QueueUrl })));
  }
  resources += urls.length;
  let start: string | undefined;
  do {
    const page = await send(ddb.send(new ListTablesCommand({ ExclusiveStartTableName: start })));
    for (const TableName of page.TableNames ?? []) {
      await send(ddb.send(new DescribeTableCommand({ TableName })));
      resources++;
    }
    start = page.LastEvaluatedTableName;
  } while (start);
  let marker: string | undefined;
  do {
    const page = await send(
      lambda.send(new ListFunctionsCommand({ Marker: marker, MaxItems: 50 })),
    );
    for (const fn of page.Functions ?? []) {
      resources++;
      try {
        await send(
          lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: fn.FunctionName })),
        );
      } catch {
        // No event invoke config: the enumerator treats the same error as "none".
      }
    }
    marker = page.NextMarker;
  } while (marker);
  resources += (await send(rds.send(new DescribeDBClustersCommand({})))).DBClusters?.length ?? 0;
  resources += (await send(rds.send(new DescribeDBInstancesCommand({})))).DBInstances?.length ?? 0;
  resources += (await send(sns.send(new ListSubscriptionsCommand({})))).Subscriptions?.length ?? 0;
  const buses = (await send(events.send(new ListEventBusesCommand({})))).EventBuses ?? [];
  for (const bus of buses) {
    const rules = (await send(events.send(new ListRulesCommand({ EventBusName: bus.Name })))).Rules;
    for (const rule of rules ?? []) {
      await send(
        events.send(new ListTargetsByRuleCommand({ Rule: rule.Name, EventBusName: bus.Name })),
      );
      resources++;
    }
  }
  await send(
    iam.send(
      new GetAccountAuthorizationDetailsCommand({
        Filter: ['User', 'Group', 'Role', 'LocalManagedPolicy'],
      }),
    ),
  );
  return { resources, calls };
}

const started = performance.now();
const result = mode === 'floor' ? await floor() : await sweep();
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ mode, ms, ...result, rssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
