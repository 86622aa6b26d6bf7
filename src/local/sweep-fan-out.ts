import pLimit from 'p-limit';
import { errorMessage } from '../errors';
import type { SweepSummary } from '../sweep/model';
import type { ShardTask, SweepPlan } from '../sweep/shard-task';
import { assembleSweep, planSweep, sweepShard, type ShardDeps } from '../sweep/shards';

/**
 * The sweep's state machine (infra/sweep-fan-out.ts) played in one process, for the
 * benchmark and the tests: the same plan → shards (each looped on its checkpoint, retried
 * alone, recorded as failed after its retries) → assemble, with the same caps — accounts at
 * once, and shards at once within one account.
 */
export interface LocalFanOutOptions {
  remediate: boolean;
  accountsAtOnce: number;
  shardsPerAccount: number;
  /** Attempts of one invocation before the shard is failed (the state machine's Retry + 1). */
  attempts: number;
  /** A shard invocation's budget; its listings stop starting after half of it. */
  shardBudgetMs: number;
  /** Called for each shard failed for good (the state machine sends it to the dead-letter queue). */
  deadLetter?: (task: ShardTask, error: unknown) => void;
  /** Called after each shard invocation, with its wall time. */
  invoked?: (task: ShardTask, ms: number) => void;
}

export interface LocalFanOutResult {
  plan: SweepPlan;
  summary: SweepSummary;
}

export async function runFanOut(
  deps: ShardDeps,
  options: LocalFanOutOptions,
): Promise<LocalFanOutResult> {
  const now = deps.now ?? Date.now;
  const plan = await planSweep(deps, options.remediate);
  const accounts = pLimit(options.accountsAtOnce);
  await Promise.all(
    plan.accounts.map((account) =>
      accounts(async () => {
        const shards = pLimit(options.shardsPerAccount);
        await Promise.all(
          plan.regions.map((region, regionIndex) =>
            shards(() =>
              runShard(deps, options, now, {
                runId: plan.runId,
                startedAt: plan.startedAt,
                previous: plan.previous,
                remediate: plan.remediate,
                account,
                region,
                regionIndex,
              }),
            ),
          ),
        );
      }),
    ),
  );
  return { plan, summary: await assembleSweep(deps, plan) };
}

async function runShard(
  deps: ShardDeps,
  options: LocalFanOutOptions,
  now: () => number,
  first: ShardTask,
): Promise<void> {
  let task = first;
  // Bounded: each invocation sweeps at least one unit, and sweepShard refuses past its part cap.
  while (!task.finished) {
    let lastError: unknown;
    let next: ShardTask | undefined;
    for (let attempt = 0; attempt < options.attempts && !next; attempt++) {
      const started = now();
      try {
        next = await sweepShard(deps, task, started + options.shardBudgetMs / 2);
      } catch (error) {
        lastError = error;
      } finally {
        options.invoked?.(task, now() - started);
      }
    }
    if (!next) {
      options.deadLetter?.(task, lastError);
      await deps.shards.putFailure(task.runId, task.startedAt, {
        account: task.account,
        region: task.region,
        error: (lastError as { name?: string } | undefined)?.name ?? 'Error',
        cause: errorMessage(lastError),
      });
      return;
    }
    task = next;
  }
}
