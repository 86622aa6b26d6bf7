import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { errorMessage } from '../errors';
import type { ShardHistory } from '../history/shards';
import type { HistoryStore } from '../history/store';
import { organizationScope, type OrganizationStandings } from '../organization/standing';
import { newRunId, type PolicyAccountCounts, type SweepError, type SweepSummary } from './model';
import { MAX_SHARD_PARTS, type ShardTask, type SweepPlan } from './shard-task';
import { foldOutcomes, Sweeper, type SweeperDeps } from './sweep';

/**
 * The sweep fanned out over accounts × regions (the state machine in infra/sweep-fan-out.ts
 * runs these three stages): plan the run, sweep one shard per invocation with a checkpoint,
 * assemble the run's summary from the shards' records in the history table.
 */
export interface ShardDeps extends SweeperDeps {
  history: HistoryStore;
  shards: ShardHistory;
  standings?: OrganizationStandings;
}

/** The run: which accounts (the organization's covered ones, else the configured ones) and regions. */
export async function planSweep(deps: ShardDeps, remediate: boolean): Promise<SweepPlan> {
  const startedAt = new Date((deps.now ?? Date.now)()).toISOString();
  const regions = new Sweeper(deps).regionsOf({ remediate });
  if (regions.length === 0) {
    throw new Error('no region to sweep: set compliance.sweep.regions or AWS_REGION');
  }
  const [previous] = await deps.history.latestSweeps(1);
  let grace: SweepPlan['grace'] = [];
  let accounts: string[];
  if (deps.standings) {
    ({ accounts, grace } = await organizationScope(deps.standings));
  } else if (deps.config.compliance.sweep.accounts.length > 0) {
    accounts = [...deps.config.compliance.sweep.accounts];
  } else {
    const caller = await deps.clients
      .get(STSClient, { region: regions[0]! })
      .send(new GetCallerIdentityCommand({}));
    accounts = caller.Account ? [caller.Account] : [];
  }
  return {
    runId: newRunId(startedAt),
    startedAt,
    previous: previous
      ? {
          runId: previous.runId,
          startedAt: previous.startedAt,
          sharded: previous.sharded === true,
        }
      : null,
    remediate,
    accounts,
    regions,
    grace,
  };
}

/**
 * Violations known open in one shard: those the previous run's same shard left open, and
 * those an event reported open since (read from the day partitions, kept to this shard).
 */
async function knownInShard(deps: ShardDeps, task: ShardTask, now: number): Promise<Set<string>> {
  const known = new Set<string>();
  if (!task.previous) return known;
  const global = task.regionIndex === 0;
  const inShard = (arn: string) => {
    const [, , , region, account] = arn.split(':');
    return account === task.account && (region === task.region || (global && region === ''));
  };
  const [previousShard, previousRun] = await Promise.all([
    deps.shards.openKeys(task.previous.runId, task.account, task.region),
    // A run not fanned out (before the state machine, or by hand) kept one list for the run.
    task.previous.sharded ? new Set<string>() : deps.history.openKeys(task.previous.runId),
  ]);
  for (const key of previousShard) known.add(key);
  for (const key of previousRun) if (inShard(key.slice(key.indexOf('|') + 1))) known.add(key);
  const outcomes = await deps.history.outcomesBetween(
    task.previous.startedAt,
    new Date(now).toISOString(),
  );
  return foldOutcomes(
    known,
    outcomes.filter((o) => inShard(o.arn)),
  );
}

/**
 * One invocation of one shard: sweeps the units its checkpoint has not done yet, starting
 * none after `deadline`, stores what it found as one part, and says whether it is finished.
 * The state machine calls it again with the returned task until it is.
 */
export async function sweepShard(
  deps: ShardDeps,
  task: ShardTask,
  deadline: number,
): Promise<ShardTask> {
  const now = (deps.now ?? Date.now)();
  const part = task.cursor?.parts ?? 0;
  if (part >= MAX_SHARD_PARTS) {
    throw new Error(
      `shard ${task.account}/${task.region} stored ${part} parts without finishing: failed rather than looping`,
    );
  }
  const done = task.cursor?.done ?? [];
  // The plan may be older than an exclusion, or the task forged: never act where not covered.
  const standing = await deps.standings?.of(task.account);
  if (standing?.status === 'excluded' || standing?.status === 'outside') {
    await deps.shards.putPart(
      {
        account: task.account,
        region: task.region,
        part,
        summary: refusedSummary(task, standing.reason, now),
      },
      [],
    );
    return { ...withoutProgress(task), cursor: { done, parts: part + 1 }, finished: true };
  }
  const result = await new Sweeper(deps).run({
    remediate: task.remediate,
    shard: {
      runId: task.runId,
      startedAt: task.startedAt,
      account: task.account,
      region: task.region,
      global: task.regionIndex === 0,
      skip: done,
      known: await knownInShard(deps, task, now),
      ...(task.previous ? { previousStartedAt: task.previous.startedAt } : {}),
      deadline,
    },
  });
  await deps.shards.putPart(
    { account: task.account, region: task.region, part, summary: result.summary },
    result.openKeys,
  );
  return {
    ...withoutProgress(task),
    cursor: { done: [...new Set([...done, ...result.swept])].sort(), parts: part + 1 },
    finished: result.pending.length === 0,
  };
}

function withoutProgress(task: ShardTask): Omit<ShardTask, 'cursor' | 'finished'> {
  const { cursor: _cursor, finished: _finished, ...rest } = task;
  void [_cursor, _finished];
  return rest;
}

/** The part of a shard that swept nothing because its account is not covered. */
function refusedSummary(task: ShardTask, reason: string, now: number): SweepSummary {
  const at = new Date(now).toISOString();
  return {
    runId: task.runId,
    startedAt: task.startedAt,
    finishedAt: at,
    durationMs: 0,
    accounts: [task.account],
    regions: [task.region],
    source: 'describe',
    remediate: task.remediate,
    resources: 0,
    evaluations: 0,
    compliant: 0,
    notApplicable: 0,
    violations: 0,
    excepted: 0,
    reverted: 0,
    failed: 0,
    drift: 0,
    errors: [
      {
        account: task.account,
        region: task.region,
        resourceType: '*',
        kind: 'access',
        message: `not swept: ${reason}`,
      },
    ],
    byPolicyAccount: [],
  };
}

const COUNTS = [
  'resources',
  'compliant',
  'notApplicable',
  'violations',
  'excepted',
  'reverted',
  'failed',
  'drift',
] as const;

/**
 * The run's summary from its shards' parts, with an error for each shard that failed (its
 * reason) or never reported; kept in the history as one sweep, as an unsharded run is.
 */
export async function assembleSweep(deps: ShardDeps, plan: SweepPlan): Promise<SweepSummary> {
  const finished = (deps.now ?? Date.now)();
  const { parts, failures } = await deps.shards.records(plan.runId);
  const rows = new Map<string, PolicyAccountCounts>();
  const errors: SweepError[] = [];
  let resources = 0;
  let evaluations = 0;
  let aggregator = false;
  const reported = new Set<string>();
  for (const { account, region, summary } of parts) {
    reported.add(`${account}|${region}`);
    resources += summary.resources;
    evaluations += summary.evaluations;
    aggregator ||= summary.source === 'aggregator';
    errors.push(...summary.errors);
    for (const row of summary.byPolicyAccount) {
      const key = `${row.policy}|${row.account}`;
      const into = rows.get(key) ?? { ...row, ...Object.fromEntries(COUNTS.map((c) => [c, 0])) };
      for (const c of COUNTS) into[c] += row[c];
      rows.set(key, into);
    }
  }
  for (const f of failures) {
    reported.add(`${f.account}|${f.region}`);
    errors.push({
      account: f.account,
      region: f.region,
      resourceType: '*',
      kind: 'error',
      code: f.error,
      message: `shard failed after its retries (dead-lettered): ${f.error}: ${f.cause.slice(0, 1000)}`,
    });
  }
  for (const account of plan.accounts) {
    for (const region of plan.regions) {
      if (reported.has(`${account}|${region}`)) continue;
      errors.push({
        account,
        region,
        resourceType: '*',
        kind: 'error',
        message: 'shard never reported: neither a result nor a failure is in the history',
      });
    }
  }
  const byPolicyAccount = [...rows.values()].sort(
    (a, b) => a.policy.localeCompare(b.policy) || a.account.localeCompare(b.account),
  );
  const sum = (k: (typeof COUNTS)[number]) => byPolicyAccount.reduce((n, r) => n + r[k], 0);
  const summary: SweepSummary = {
    runId: plan.runId,
    startedAt: plan.startedAt,
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - Date.parse(plan.startedAt),
    accounts: plan.accounts,
    regions: plan.regions,
    source: aggregator ? 'aggregator' : 'describe',
    remediate: plan.remediate,
    resources,
    evaluations,
    compliant: sum('compliant'),
    notApplicable: sum('notApplicable'),
    violations: sum('violations'),
    excepted: sum('excepted'),
    reverted: sum('reverted'),
    failed: sum('failed'),
    drift: sum('drift'),
    errors,
    byPolicyAccount,
    sharded: true,
    ...(plan.grace.length > 0 ? { grace: plan.grace } : {}),
  };
  try {
    // The shards keep their own open keys; the run's summary is what digests read.
    await deps.history.putSweep(summary, []);
  } catch (error) {
    summary.errors.push({
      account: '-',
      region: '-',
      resourceType: 'history',
      kind: 'error',
      message: `the run's summary was not kept: ${errorMessage(error)}`,
    });
  }
  return summary;
}
