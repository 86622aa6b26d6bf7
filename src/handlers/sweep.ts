import type { Context, ScheduledEvent } from 'aws-lambda';
import { createLogger } from '../audit';
import { createRampart, type Rampart } from '../app';
import { AwsClients } from '../aws/clients';
import { defaultCatalog } from '../catalog';
import { sweepReadActions } from '../sweep/actions';
import type { SweepSummary } from '../sweep/model';
import { Sweeper } from '../sweep/sweep';

/** IAM read actions of the sweep function (its role is derived from this list). */
export const SWEEP_READ_ACTIONS: readonly string[] = sweepReadActions(defaultCatalog());

/**
 * The scheduled sweep: every enabled policy over the configured regions, each acting per
 * its mode, and the run's snapshot in the history table. Listing errors are logged and
 * returned in the summary, not thrown: a retry would repeat every remediation check.
 */
export function createSweepHandler(rampart: Rampart, logger = createLogger()) {
  const { catalog, config, clients, evaluator, history } = rampart;
  const sweeper = new Sweeper({ catalog, config, clients, evaluator, history });
  return async function handler(
    _event: ScheduledEvent | Record<string, unknown>,
    _context?: Context,
  ): Promise<SweepSummary> {
    const { summary } = await sweeper.run({ remediate: true });
    for (const error of summary.errors) logger.error('sweep listing failed', { ...error });
    logger.info('sweep finished', {
      runId: summary.runId,
      resources: summary.resources,
      violations: summary.violations,
      reverted: summary.reverted,
      failed: summary.failed,
      drift: summary.drift,
    });
    return summary;
  };
}

let defaultHandler: ReturnType<typeof createSweepHandler> | undefined;

/** Lambda entry point (EventBridge Scheduler target); wiring is built once per environment. */
export const handler = (event: ScheduledEvent, context?: Context) => {
  defaultHandler ??= createSweepHandler(
    createRampart({ clients: new AwsClients({ retryMode: 'adaptive' }) }),
  );
  return defaultHandler(event, context);
};
