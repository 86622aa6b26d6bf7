import type { Actor, OutcomeStatus } from '../domain';
import type { ReportContext, Reporter } from '../engine/evaluator';
import type { HistoryStore, OutcomeRecord } from './store';

/** Outcomes that say nothing about a violation (compliant, or only what would be done). */
const NOT_RECORDED: ReadonlySet<OutcomeStatus> = new Set(['already-compliant', 'dry-run']);
/**
 * The sweep meets the same open violation on every run; its snapshot counts those. Only
 * what it changes (or failed to) is history.
 */
const SWEEP_RECORDED: ReadonlySet<OutcomeStatus> = new Set(['reverted', 'failed']);

export function actorLabel(actor: Actor | undefined): string | undefined {
  return actor?.arn ?? actor?.principalId ?? actor?.type;
}

/** The history entry of one reported outcome, or undefined when it is not history. */
export function outcomeRecordOf(context: ReportContext): OutcomeRecord | undefined {
  const { outcome, trigger, resource } = context;
  if (!outcome || NOT_RECORDED.has(outcome.status)) return undefined;
  if (trigger.source === 'sweep' && !SWEEP_RECORDED.has(outcome.status)) return undefined;
  const actor = actorLabel(trigger.actor);
  return {
    time: outcome.timings.verifiedAt ?? outcome.timings.receivedAt,
    ...(trigger.eventTime ? { eventTime: trigger.eventTime } : {}),
    source: trigger.source,
    eventId: trigger.eventId,
    eventName: trigger.eventName,
    policy: outcome.policyId,
    resourceType: resource.type,
    resourceId: resource.id,
    arn: resource.arn,
    account: resource.account,
    region: resource.region,
    status: outcome.status,
    ...(actor ? { actor } : {}),
    ...(outcome.timings.timeToRevertMs !== undefined
      ? { timeToRevertMs: outcome.timings.timeToRevertMs }
      : {}),
    ...(outcome.timings.openAtMostMs !== undefined
      ? { openAtMostMs: outcome.timings.openAtMostMs }
      : {}),
  };
}

/**
 * Writes every outcome worth a digest line to the history table: an event's at once (the
 * function may be frozen right after), a sweep's buffered and written in batches of 25 by
 * `flush` (a remediating sweep of an account reverts hundreds at a time).
 */
export class HistoryReporter implements Reporter {
  readonly name = 'history';
  private buffered: OutcomeRecord[] = [];
  constructor(private readonly store: HistoryStore) {}

  async report(context: ReportContext): Promise<void> {
    const record = outcomeRecordOf(context);
    if (!record) return;
    if (record.source === 'sweep') this.buffered.push(record);
    else await this.store.putOutcome(record);
  }

  async flush(): Promise<void> {
    const records = this.buffered.splice(0);
    if (records.length > 0) await this.store.putOutcomes(records);
  }
}
