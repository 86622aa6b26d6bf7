import {
  EC2Client,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
} from '@aws-sdk/client-ec2';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import pLimit from 'p-limit';
import { createRampart } from '../src/app';
import { AuditLog, createLogger } from '../src/audit';
import { AwsClients } from '../src/aws/clients';
import { defaultCatalog } from '../src/catalog';
import { parseConfig } from '../src/config';
import { ShardHistory } from '../src/history/shards';
import { ensureHistoryTable, HistoryStore } from '../src/history/store';
import { startFaultProxy } from '../src/local/fault-proxy';
import { startMoto } from '../src/local/moto';
import { runFanOut } from '../src/local/sweep-fan-out';
import { table } from './stats';

/**
 * The fanned-out sweep at organization scale: 10, 50 and 200 simulated member accounts
 * (moto keeps state per account id; each is reached through STS as in AWS), the whole
 * default pack, one region, through the shard handler exactly as the state machine runs it
 * (src/local/sweep-fan-out.ts plays the state machine). Each account holds 4 security
 * groups (1 open to the internet) and 2 queues (1 unencrypted, no DLQ). Prints wall time,
 * AWS calls and Lambda-seconds (shard invocation time) per account, and the longest shard:
 * per-account figures must stay flat as N grows, and the longest shard bounded.
 * BENCH_ACCOUNTS_N=10,50 for a quick try.
 */
const SIZES = (process.env.BENCH_ACCOUNTS_N ?? '10,50,200').split(',').map(Number);
const REGION = 'eu-west-1';
const HOME = '123456789012';
const silent = () =>
  new AuditLog(createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }));

async function seedAccount(clients: AwsClients, account: string): Promise<void> {
  const ec2 = clients.get(EC2Client, { region: REGION, account });
  for (let i = 0; i < 4; i++) {
    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: `bench-${i}`, Description: 'bench' }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: group.GroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: i === 0 ? '0.0.0.0/0' : '10.0.0.0/8' }],
          },
        ],
      }),
    );
  }
  const sqs = clients.get(SQSClient, { region: REGION, account });
  await sqs.send(new CreateQueueCommand({ QueueName: 'bench-other' }));
  await sqs.send(
    new CreateQueueCommand({
      QueueName: 'bench-plain',
      Attributes: { SqsManagedSseEnabled: 'false' },
    }),
  );
}

export async function run(): Promise<void> {
  const moto = await startMoto();
  const proxy = await startFaultProxy({ target: moto.endpoint });
  const saved = { ...process.env };
  Object.assign(process.env, moto.env, {
    AWS_ENDPOINT_URL: proxy.endpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  const rows: (string | number)[][] = [];
  const catalog = defaultCatalog();
  try {
    // A first run of 2 accounts warms the JIT and the role sessions' code paths; not reported.
    for (const n of [2, ...SIZES]) {
      const accounts = Array.from({ length: n }, (_, i) => String(700000000000 + n * 1000 + i));
      const clients = new AwsClients({
        maxAttempts: 3,
        crossAccount: { roleName: 'RampartRemediationRole', homeAccount: HOME },
      });
      const historyTable = { name: `bench-history-${n}`, region: 'us-east-1' };
      await ensureHistoryTable(clients, historyTable);
      const seeding = pLimit(8);
      await Promise.all(accounts.map((a) => seeding(() => seedAccount(clients, a))));
      const config = parseConfig(
        {
          compliance: { historyTable: historyTable.name, sweep: { accounts, regions: [REGION] } },
        },
        catalog,
      );
      const rampart = createRampart({ clients, config, audit: silent(), reporters: [] });
      const shardMs: number[] = [];
      proxy.resetStats();
      const started = performance.now();
      const { summary } = await runFanOut(
        {
          ...rampart,
          history: new HistoryStore(clients, historyTable),
          shards: new ShardHistory(clients, historyTable),
        },
        {
          remediate: false,
          accountsAtOnce: 8,
          shardsPerAccount: 1,
          attempts: 3,
          shardBudgetMs: 15 * 60 * 1000,
          invoked: (_task, ms) => shardMs.push(ms),
        },
      );
      const wall = performance.now() - started;
      const calls = Object.values(proxy.stats().calls).reduce((a, b) => a + b, 0);
      const lambdaSeconds = shardMs.reduce((a, b) => a + b, 0) / 1000;
      const open = summary.byPolicyAccount
        .filter((r) => r.policy === 'sg-no-public-ingress')
        .reduce((m, r) => m + r.violations, 0);
      if (n !== 2 || SIZES.includes(2))
        rows.push([
          n,
          (wall / 1000).toFixed(1),
          calls,
          (calls / n).toFixed(1),
          (lambdaSeconds / n).toFixed(2),
          (Math.max(...shardMs) / 1000).toFixed(2),
          `${open} / ${n}`,
          summary.errors.length,
        ]);
      if (summary.errors.length > 0) process.stderr.write(`${JSON.stringify(summary.errors[0])}\n`);
      clients.destroy();
    }
  } finally {
    await proxy.close();
    await moto.stop();
    process.env = saved;
  }
  process.stdout.write(
    `\nThe fanned-out sweep over simulated member accounts (one region, the default pack, 8 accounts at once)\n${table(
      [
        'accounts',
        'wall s',
        'AWS calls',
        'calls / account',
        'Lambda-s / account',
        'longest shard s',
        'open SG found',
        'errors',
      ],
      rows,
    )}\n`,
  );
  const perAccount = rows.map((r) => Number(r[3]));
  const spread = Math.max(...perAccount) / Math.min(...perAccount);
  process.stdout.write(
    `calls per account vary ${((spread - 1) * 100).toFixed(1)} % across sizes (linear growth: the same per account)\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
