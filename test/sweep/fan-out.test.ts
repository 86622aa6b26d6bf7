import { EC2Client } from '@aws-sdk/client-ec2';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { AuditLog, createLogger } from '../../src/audit';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { ShardHistory, type ShardPart } from '../../src/history/shards';
import { ensureHistoryTable, HistoryStore } from '../../src/history/store';
import { runFanOut } from '../../src/local/sweep-fan-out';
import type { SweepSummary } from '../../src/sweep/model';
import type { ShardTask } from '../../src/sweep/shard-task';
import { planSweep, sweepShard, type ShardDeps } from '../../src/sweep/shards';
import { Sweeper } from '../../src/sweep/sweep';
import { OPEN_22, PRIVATE_5432, seedSecurityGroup } from '../support/ec2';
import { RecordingClients } from '../support/recording-clients';

// Member accounts of this file's own (moto keeps state per account), reached through STS.
const HOME = '123456789012';
const MEMBERS = ['410987654321', '410987654322', '410987654323'];
const REGIONS = ['eu-west-1', 'eu-west-2'];
const silent = () =>
  new AuditLog(createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }));

describe('the fanned-out sweep: plan, shards with checkpoints, assembly (moto, 3 member accounts × 2 regions)', () => {
  const catalog = defaultCatalog();
  const table = { name: `rampart-history-${randomUUID().slice(0, 8)}`, region: 'us-east-1' };
  let clients: RecordingClients;
  let rampart: Rampart;
  let deps: ShardDeps;
  /** What was seeded: open groups per account × region (the expected violations). */
  const OPEN_PER_SHARD = 2;

  beforeAll(async () => {
    clients = new RecordingClients({
      maxAttempts: 2,
      crossAccount: { roleName: 'RampartRemediationRole', homeAccount: HOME },
    });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'sg-no-public-ingress' || p === 'sqs-encrypted' ? {} : { enabled: false },
      ]),
    );
    const config = parseConfig(
      {
        policies: only,
        compliance: { historyTable: table.name, sweep: { accounts: MEMBERS, regions: REGIONS } },
      },
      catalog,
    );
    rampart = createRampart({ clients, config, audit: silent(), reporters: [] });
    await ensureHistoryTable(clients, table);
    deps = {
      ...rampart,
      history: new HistoryStore(clients, table),
      shards: new ShardHistory(clients, table),
    };
    for (const account of MEMBERS) {
      for (const region of REGIONS) {
        const ec2 = clients.get(EC2Client, { region, account });
        for (let i = 0; i < OPEN_PER_SHARD; i++) await seedSecurityGroup(ec2, [OPEN_22]);
        await seedSecurityGroup(ec2, [PRIVATE_5432]);
        await clients.get(SQSClient, { region, account }).send(
          new CreateQueueCommand({
            QueueName: `fan-out-${randomUUID().slice(0, 8)}`,
            Attributes: { SqsManagedSseEnabled: 'false' },
          }),
        );
      }
    }
  });
  afterAll(() => clients.destroy());

  const rowsOf = (policy: string, summary: SweepSummary) =>
    summary.byPolicyAccount.filter((r) => r.policy === policy);

  it('assembles the same counts per policy and account as one unsharded run of the same accounts', async () => {
    const { summary: single } = await new Sweeper(rampart).run({
      remediate: false,
      record: false,
    });
    const { plan, summary } = await runFanOut(deps, {
      remediate: false,
      accountsAtOnce: 2,
      shardsPerAccount: 1,
      attempts: 3,
      shardBudgetMs: 60_000,
    });
    expect(plan.accounts).toEqual(MEMBERS);
    expect(plan.regions).toEqual(REGIONS);
    expect(summary.errors).toEqual([]);
    expect(summary.byPolicyAccount).toEqual(single.byPolicyAccount);
    for (const row of rowsOf('sg-no-public-ingress', summary)) {
      expect(row).toMatchObject({ violations: OPEN_PER_SHARD * REGIONS.length });
    }
    expect(rowsOf('sqs-encrypted', summary).map((r) => r.violations)).toEqual(
      MEMBERS.map(() => REGIONS.length),
    );
    // Kept as one sweep, which the next plan starts from.
    const next = await planSweep(deps, false);
    expect(next.previous).toEqual({ runId: plan.runId, startedAt: plan.startedAt, sharded: true });
  });

  it('a shard past its deadline stores a part and a checkpoint; resumed, it sweeps only what is left', async () => {
    const plan = await planSweep(deps, false);
    const first: ShardTask = {
      runId: plan.runId,
      startedAt: plan.startedAt,
      previous: plan.previous,
      remediate: false,
      account: MEMBERS[0]!,
      region: REGIONS[0]!,
      regionIndex: 0,
    };
    clients.reset();
    // A deadline already passed: the invocation sweeps its one guaranteed unit and stops.
    const second = await sweepShard(deps, first, Date.now() - 1);
    expect(second.finished).toBe(false);
    expect(second.cursor?.parts).toBe(1);
    expect(second.cursor?.done).toHaveLength(1);
    const firstCalls = [...clients.calls];
    clients.reset();
    const third = await sweepShard(deps, second, Date.now() + 60_000);
    expect(third.finished).toBe(true);
    expect(third.cursor?.parts).toBe(2);
    expect(new Set(third.cursor?.done)).toEqual(
      new Set(['AWS::EC2::SecurityGroup', 'AWS::SQS::Queue']),
    );
    // Neither listing was made twice: each invocation listed only its own type.
    const listings = (calls: string[]) =>
      calls.filter((c) => c === 'DescribeSecurityGroupsCommand' || c === 'ListQueuesCommand');
    expect([...listings(firstCalls), ...listings(clients.calls)].sort()).toEqual([
      'DescribeSecurityGroupsCommand',
      'ListQueuesCommand',
    ]);
    const { parts } = await deps.shards.records(plan.runId);
    expect(parts.map((p) => p.part).sort()).toEqual([0, 1]);
    const violations = (policy: string) =>
      parts.reduce(
        (n, p) =>
          n +
          p.summary.byPolicyAccount
            .filter((r) => r.policy === policy)
            .reduce((m, r) => m + r.violations, 0),
        0,
      );
    expect(violations('sg-no-public-ingress')).toBe(OPEN_PER_SHARD);
    expect(violations('sqs-encrypted')).toBe(1);
  });

  it('a failing shard is retried alone, then recorded failed with its reason; the others assemble', async () => {
    const failing = MEMBERS[1]!;
    const attempts: string[] = [];
    const broken = new (class extends ShardHistory {
      override async putPart(part: ShardPart, keys: readonly string[]) {
        if (part.account === failing && part.region === REGIONS[1]) {
          attempts.push(`${part.account}/${part.region}`);
          throw new Error('ProvisionedThroughputExceededException: simulated');
        }
        return super.putPart(part, keys);
      }
    })(clients, table);
    const deadLettered: ShardTask[] = [];
    const { summary } = await runFanOut(
      { ...deps, shards: broken },
      {
        remediate: false,
        accountsAtOnce: 3,
        shardsPerAccount: 2,
        attempts: 3,
        shardBudgetMs: 60_000,
        deadLetter: (task) => deadLettered.push(task),
      },
    );
    expect(attempts).toEqual([
      `${failing}/${REGIONS[1]}`,
      `${failing}/${REGIONS[1]}`,
      `${failing}/${REGIONS[1]}`,
    ]);
    expect(deadLettered.map((t) => `${t.account}/${t.region}`)).toEqual([
      `${failing}/${REGIONS[1]}`,
    ]);
    expect(summary.errors).toEqual([
      expect.objectContaining({
        account: failing,
        region: REGIONS[1],
        message: expect.stringContaining('ProvisionedThroughputExceededException: simulated'),
      }),
    ]);
    const sg = rowsOf('sg-no-public-ingress', summary);
    // The failing account still has its other region; the rest are whole.
    expect(sg.find((r) => r.account === failing)?.violations).toBe(OPEN_PER_SHARD);
    for (const account of MEMBERS.filter((a) => a !== failing)) {
      expect(sg.find((r) => r.account === account)?.violations).toBe(
        OPEN_PER_SHARD * REGIONS.length,
      );
    }
  });
});
