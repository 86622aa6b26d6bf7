import { EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { AuditLog, createLogger } from '../../src/audit';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { ShardHistory } from '../../src/history/shards';
import { ensureHistoryTable, HistoryStore } from '../../src/history/store';
import { runFanOut } from '../../src/local/sweep-fan-out';
import { Enrollments } from '../../src/organization/enrollments';
import { sweepShard, type ShardDeps } from '../../src/sweep/shards';
import { Sweeper } from '../../src/sweep/sweep';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { ingressRules, OPEN_22, seedSecurityGroup } from '../support/ec2';
import { RecordingClients } from '../support/recording-clients';

// The organization lives in the home account (moto keeps it per account); its member
// accounts are created by Organizations and reached through STS like any member.
const HOME = '123456789012';
const REGION = 'eu-north-1';
const DAY_MS = 24 * 3600 * 1000;
const silent = () =>
  new AuditLog(createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }));

describe('an organization: covered OUs, excluded OUs and accounts, the grace period (moto)', () => {
  const catalog = defaultCatalog();
  const table = { name: `rampart-history-${randomUUID().slice(0, 8)}`, region: 'us-east-1' };
  let clients: RecordingClients;
  let rampart: Rampart;
  let org: OrganizationsClient;
  const ids = { prod: '', sandbox: '', other: '' };
  /** settled: enrolled 30 days ago; fresh: new; sandboxed: excluded OU; stray: outside; named: excluded by id. */
  const acct = { settled: '', fresh: '', sandboxed: '', stray: '', named: '' };

  const createAccount = async (parent: string, root: string) => {
    const tag = randomUUID().slice(0, 8);
    const out = await org.send(
      new CreateAccountCommand({ Email: `it-${tag}@example.com`, AccountName: `it-${tag}` }),
    );
    const id = out.CreateAccountStatus!.AccountId!;
    await org.send(
      new MoveAccountCommand({ AccountId: id, SourceParentId: root, DestinationParentId: parent }),
    );
    return id;
  };

  beforeAll(async () => {
    org = new OrganizationsClient({ region: 'us-east-1' });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' })).catch((e: Error) => {
      if (e.name !== 'AlreadyInOrganizationException') throw e;
    });
    const root = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    const ou = async (parent: string, name: string) =>
      (
        await org.send(
          new CreateOrganizationalUnitCommand({
            ParentId: parent,
            Name: `${name}-${randomUUID().slice(0, 6)}`,
          }),
        )
      ).OrganizationalUnit!.Id!;
    ids.prod = await ou(root, 'prod');
    ids.sandbox = await ou(ids.prod, 'sandbox');
    ids.other = await ou(root, 'other');
    acct.settled = await createAccount(ids.prod, root);
    acct.fresh = await createAccount(ids.prod, root);
    acct.named = await createAccount(ids.prod, root);
    acct.sandboxed = await createAccount(ids.sandbox, root);
    acct.stray = await createAccount(ids.other, root);

    clients = new RecordingClients({
      maxAttempts: 2,
      crossAccount: { roleName: 'RampartRemediationRole', homeAccount: HOME },
    });
    await ensureHistoryTable(clients, table);
    // Covered for 30 days already: its grace period (14 days) is over.
    await new Enrollments(clients, table).enroll(
      acct.settled,
      new Date(Date.now() - 30 * DAY_MS).toISOString(),
    );
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'sg-no-public-ingress' ? { mode: 'enforce' } : { enabled: false },
      ]),
    );
    const config = parseConfig(
      {
        policies: only,
        compliance: { historyTable: table.name, sweep: { regions: [REGION] } },
        organization: {
          organizationalUnits: [ids.prod],
          exclude: { organizationalUnits: [ids.sandbox], accounts: [acct.named] },
          gracePeriodDays: 14,
        },
      },
      catalog,
    );
    rampart = createRampart({ clients, config, audit: silent(), reporters: [] });
  });
  afterAll(() => {
    org.destroy();
    clients.destroy();
  });

  const ec2 = (account: string) => clients.get(EC2Client, { region: REGION, account });
  const openGroup = async (account: string) => {
    const group = await seedSecurityGroup(ec2(account), [OPEN_22]);
    const event = authorizeIngressEvent(
      group,
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      {},
      { account, region: REGION },
    );
    return { group, result: await rampart.evaluator.handleEvent(event) };
  };

  it('an event from an account past its grace period is reverted', async () => {
    const { group, result } = await openGroup(acct.settled);
    expect(result).toMatchObject({ status: 'handled' });
    expect(await ingressRules(ec2(acct.settled), group)).toEqual([]);
  });

  it('an account seen for the first time is in its grace period: reported, not reverted', async () => {
    const { group, result } = await openGroup(acct.fresh);
    if (result.status !== 'handled') throw new Error(`skipped: ${result.reason}`);
    expect(result.resources[0]!.decisions[0]).toMatchObject({
      action: 'notify',
      reason: expect.stringContaining(`account ${acct.fresh} is in its grace period until`),
    });
    expect((await ingressRules(ec2(acct.fresh), group)).map((r) => r.text)).toEqual([
      'tcp 22-22 0.0.0.0/0',
    ]);
    // First sight is kept: the grace period runs from now, and a second sight does not move it.
    const enrolled = await new Enrollments(clients, table).get(acct.fresh);
    expect(Date.now() - Date.parse(enrolled!.enrolledAt)).toBeLessThan(60_000);
    const again = await new Enrollments(clients, table).enroll(
      acct.fresh,
      '2020-01-01T00:00:00.000Z',
    );
    expect(again.enrolledAt).toBe(enrolled!.enrolledAt);
  });

  it('events from an excluded OU, an excluded account or an account outside the OUs are skipped and change nothing', async () => {
    for (const account of [acct.sandboxed, acct.named, acct.stray]) {
      const { group, result } = await openGroup(account);
      expect(result).toMatchObject({ status: 'skipped', code: 'account-not-covered' });
      expect((await ingressRules(ec2(account), group)).map((r) => r.text)).toEqual([
        'tcp 22-22 0.0.0.0/0',
      ]);
    }
  });

  it('the sweep plans the covered accounts only, lists the ones in grace, and reverts only past grace', async () => {
    const settledGroup = await seedSecurityGroup(ec2(acct.settled), [OPEN_22]);
    const freshGroup = await seedSecurityGroup(ec2(acct.fresh), [OPEN_22]);
    const sandboxGroup = await seedSecurityGroup(ec2(acct.sandboxed), [OPEN_22]);
    const deps: ShardDeps = {
      ...rampart,
      history: new HistoryStore(clients, table),
      shards: new ShardHistory(clients, table),
      standings: rampart.standings!,
    };
    const { plan, summary } = await runFanOut(deps, {
      remediate: true,
      accountsAtOnce: 2,
      shardsPerAccount: 1,
      attempts: 2,
      shardBudgetMs: 60_000,
    });
    expect([...plan.accounts].sort()).toEqual([acct.settled, acct.fresh].sort());
    expect(plan.grace.map((g) => g.account)).toEqual([acct.fresh]);
    expect(summary.grace).toEqual(plan.grace);
    expect(summary.errors).toEqual([]);
    expect(await ingressRules(ec2(acct.settled), settledGroup)).toEqual([]);
    expect(await ingressRules(ec2(acct.fresh), freshGroup)).toHaveLength(1);
    expect(await ingressRules(ec2(acct.sandboxed), sandboxGroup)).toHaveLength(1);
    const row = (account: string) =>
      summary.byPolicyAccount.find(
        (r) => r.policy === 'sg-no-public-ingress' && r.account === account,
      );
    expect(row(acct.settled)).toMatchObject({ reverted: 1, violations: 0 });
    expect(row(acct.fresh)?.violations).toBeGreaterThanOrEqual(2);
    expect(row(acct.sandboxed)).toBeUndefined();
  });

  it('a shard task for an excluded account (a forged task, or a plan older than the exclusion) sweeps and changes nothing', async () => {
    const group = await seedSecurityGroup(ec2(acct.sandboxed), [OPEN_22]);
    const deps: ShardDeps = {
      ...rampart,
      history: new HistoryStore(clients, table),
      shards: new ShardHistory(clients, table),
      standings: rampart.standings!,
    };
    const runId = '20261206T000000000Z-0badc0de';
    const next = await sweepShard(
      deps,
      {
        runId,
        startedAt: new Date().toISOString(),
        previous: null,
        remediate: true,
        account: acct.sandboxed,
        region: REGION,
        regionIndex: 0,
      },
      Date.now() + 60_000,
    );
    expect(next.finished).toBe(true);
    expect(await ingressRules(ec2(acct.sandboxed), group)).toHaveLength(1);
    const { parts } = await deps.shards.records(runId);
    expect(parts[0]!.summary).toMatchObject({
      resources: 0,
      errors: [
        {
          message: expect.stringContaining(
            `not swept: account ${acct.sandboxed} is under ${ids.sandbox}`,
          ),
        },
      ],
    });
  });

  it('rampart scan (one process) sweeps the covered accounts only, and names those in grace', async () => {
    const { summary } = await new Sweeper(rampart).run({ remediate: false, record: false });
    expect([...summary.accounts].sort()).toEqual([acct.settled, acct.fresh].sort());
    expect(summary.grace?.map((g) => g.account)).toEqual([acct.fresh]);
  });
});
