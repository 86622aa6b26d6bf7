import type { Context, ScheduledEvent } from 'aws-lambda';
import { createLogger } from '../audit';
import { createRampart, type Rampart } from '../app';
import { AwsClients } from '../aws/clients';
import { defaultCatalog } from '../catalog';
import { ShardHistory } from '../history/shards';
import { sweepReadActions } from '../sweep/actions';
import type { SweepSummary } from '../sweep/model';
import {
  parseInput,
  shardTaskSchema,
  sweepPlanSchema,
  type ShardTask,
  type SweepPlan,
} from '../sweep/shard-task';
import { assembleSweep, planSweep, sweepShard, type ShardDeps } from '../sweep/shards';
import { Sweeper } from '../sweep/sweep';

/** IAM read actions of the sweep function (its role is derived from this list). */
export const SWEEP_READ_ACTIONS: readonly string[] = sweepReadActions(defaultCatalog());

/** A shard stops starting listings once half its time is gone: the other half is for what runs. */
const SHARD_TIME_SHARE = 0.5;
/** Without a Lambda context (a local call), a shard's budget. */
const LOCAL_SHARD_BUDGET_MS = 10 * 60 * 1000;

/** The stages the sweep's state machine invokes this function for (infra/sweep-fan-out.ts). */
export type SweepStageInput =
  { stage: 'plan' } | { stage: 'shard'; task: unknown } | { stage: 'assemble'; plan: unknown };

export class SweepHandlerError extends Error {
  override readonly name = 'SweepHandlerError';
}

/**
 * The sweep function. Invoked by the state machine per stage (plan → shards → assemble);
 * invoked without a stage (by hand, or an older schedule) it sweeps everything in one run.
 * Listing errors are logged and returned in the summary, not thrown: a retry would repeat
 * every remediation check. A shard that throws is retried alone by the state machine.
 */
export function createSweepHandler(rampart: Rampart, logger = createLogger()) {
  const { catalog, config, clients, evaluator, history, standings } = rampart;
  const sweeper = new Sweeper({ catalog, config, clients, evaluator, history });
  const shardDeps = (): ShardDeps => {
    if (!history) {
      throw new SweepHandlerError(
        'a fanned-out sweep needs the history table (compliance.historyTable or RAMPART_HISTORY_TABLE)',
      );
    }
    return {
      catalog,
      config,
      clients,
      evaluator,
      history,
      shards: new ShardHistory(clients, history.table, config.compliance.retentionDays),
      ...(standings ? { standings } : {}),
    };
  };
  const logSummary = (summary: SweepSummary) => {
    for (const error of summary.errors) logger.error('sweep listing failed', { ...error });
    logger.info('sweep finished', {
      runId: summary.runId,
      resources: summary.resources,
      violations: summary.violations,
      reverted: summary.reverted,
      failed: summary.failed,
      drift: summary.drift,
    });
  };
  return async function handler(
    event: ScheduledEvent | SweepStageInput | Record<string, unknown>,
    context?: Context,
  ): Promise<SweepSummary | SweepPlan | ShardTask> {
    const stage = (event as { stage?: unknown }).stage;
    switch (stage) {
      case undefined: {
        const { summary } = await sweeper.run({ remediate: true });
        logSummary(summary);
        return summary;
      }
      case 'plan': {
        const plan = await planSweep(shardDeps(), true);
        logger.info('sweep planned', {
          runId: plan.runId,
          accounts: plan.accounts.length,
          regions: plan.regions.length,
          grace: plan.grace.length,
        });
        return plan;
      }
      case 'shard': {
        const task = parseInput(shardTaskSchema, (event as { task?: unknown }).task, 'shard task');
        const budget = context?.getRemainingTimeInMillis() ?? LOCAL_SHARD_BUDGET_MS;
        const next = await sweepShard(shardDeps(), task, Date.now() + budget * SHARD_TIME_SHARE);
        logger.info('sweep shard', {
          runId: task.runId,
          account: task.account,
          region: task.region,
          parts: next.cursor?.parts,
          finished: next.finished,
        });
        return next;
      }
      case 'assemble': {
        const plan = parseInput(sweepPlanSchema, (event as { plan?: unknown }).plan, 'sweep plan');
        const summary = await assembleSweep(shardDeps(), plan);
        logSummary(summary);
        return summary;
      }
      default:
        throw new SweepHandlerError(
          `invalid sweep input: stage: ${JSON.stringify(stage).slice(0, 40)}; allowed: plan, shard, assemble (or none)`,
        );
    }
  };
}

let defaultHandler: ReturnType<typeof createSweepHandler> | undefined;

/** Lambda entry point (the state machine's task, or a schedule); wiring is built once per environment. */
export const handler = (event: ScheduledEvent | SweepStageInput, context?: Context) => {
  defaultHandler ??= createSweepHandler(
    createRampart({ clients: new AwsClients({ retryMode: 'adaptive' }) }),
  );
  return defaultHandler(event, context);
};
