import type { AuditLog } from '../audit';
import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import type { Evaluation, Outcome, OutcomeStatus, TriggerEvent } from '../domain';
import { errorMessage } from '../errors';
import type { ApprovalDeadlines } from '../exceptions/deadline';
import type { ExceptionLookup } from '../exceptions/store';
import type { AccountStandings } from '../organization/standing';
import type { Catalog } from './catalog';
import { decideWithExceptions } from './decide';
import type { AnyPolicy, Snapshot } from './definitions';
import { Executor } from './execute';
import { FailureSenders } from './failure-senders';
import { judge, judgeWithContext } from './judge';
import { ReportFanOut } from './report';
import type {
  EventResult,
  HandleOptions,
  RemediationGuard,
  ReportContext,
  Reporter,
  ResourceResult,
} from './results';
import { intakeOf } from './sources';
import type { Intake, WorkItem } from './work-item';

export * from './results';
export type { Intake, WorkItem } from './work-item';

export interface EvaluatorDeps {
  catalog: Catalog;
  config: RampartConfig;
  clients: AwsClients;
  audit: AuditLog;
  reporters?: readonly Reporter[];
  /** Active exceptions (granted in Slack): a covered violation is `excepted`. */
  exceptions?: ExceptionLookup;
  /** Mode `approve` schedules its deadline here; without it, `approve` reverts at once. */
  approvals?: ApprovalDeadlines;
  remediationGuard?: RemediationGuard;
  /** Who sends failures to a resource, listed when a verdict needs it; one is made if absent. */
  failureSenders?: FailureSenders;
  /** Which accounts are covered, and which are in their grace period (an organization). */
  standings?: AccountStandings;
  /** Injected for tests; defaults to Date.now. */
  now?: () => number;
}

/** Outcomes that change or fail to change something: reported even for a known violation. */
const CHANGE_OUTCOMES: ReadonlySet<OutcomeStatus> = new Set(['reverted', 'failed', 'escalated']);

/**
 * The evaluator: input → intake (sources/) → read current state → judge → decide →
 * execute → audit → report, one small stage per file. The event is only a trigger;
 * decisions rest on what is read now.
 */
export class Evaluator {
  private readonly now: () => number;
  private readonly executor: Executor;
  private readonly reports: ReportFanOut;
  private readonly failureSenders: FailureSenders;

  constructor(private readonly deps: EvaluatorDeps) {
    this.now = deps.now ?? Date.now;
    this.failureSenders = deps.failureSenders ?? new FailureSenders(deps);
    this.executor = new Executor({ ...deps, now: this.now });
    this.reports = new ReportFanOut(deps.reporters ?? [], deps.audit);
  }

  /** Throws MalformedEventError for input that is not an event; every other case returns. */
  async handleEvent(input: unknown, options: HandleOptions = {}): Promise<EventResult> {
    return this.process(this.intake(input, options), options);
  }

  /**
   * The first stage alone: what the input asks for, parsed and located once (duplicate
   * suppression keys on it before anything is read). Throws MalformedEventError.
   */
  intake(input: unknown, options: HandleOptions = {}): Intake {
    return intakeOf(this.deps, input, this.now(), options);
  }

  /** Every later stage, for the work an intake found. */
  async process(intake: Intake, options: HandleOptions = {}): Promise<EventResult> {
    if (intake.status === 'skip') {
      const { eventId, eventName, code, reason } = intake;
      this.deps.audit.skipped({ eventId, eventName }, code, reason);
      return { status: 'skipped', eventId, eventName, code, reason };
    }
    let uncovered: string | undefined;
    try {
      uncovered = await this.uncovered(intake.items);
    } catch (error) {
      // Unknown standing: the account may be excluded; act nowhere, and retry.
      const why = `cannot read the account's standing: ${errorMessage(error)}`;
      return {
        status: 'handled',
        eventId: intake.eventId,
        eventName: intake.eventName,
        trigger: intake.trigger,
        resources: intake.items.map((i) => ({
          resource: i.locator,
          status: 'error',
          error: why,
          evaluations: [],
          decisions: [],
          outcomes: [],
        })),
      };
    }
    if (uncovered) {
      const { eventId, eventName } = intake;
      this.deps.audit.skipped({ eventId, eventName }, 'account-not-covered', uncovered);
      return {
        status: 'skipped',
        eventId,
        eventName,
        code: 'account-not-covered',
        reason: uncovered,
      };
    }
    const resources: ResourceResult[] = [];
    for (const item of intake.items) {
      resources.push(await this.handleItem(item, intake.trigger, intake.receivedAt, options));
    }
    return {
      status: 'handled',
      eventId: intake.eventId,
      eventName: intake.eventName,
      trigger: intake.trigger,
      resources,
    };
  }

  /**
   * Why the event's account is not Rampart's to judge (excluded, or outside the covered
   * OUs), if it is not. Throws when it cannot be told.
   */
  private async uncovered(items: readonly WorkItem[]): Promise<string | undefined> {
    const standings = this.deps.standings;
    if (!standings) return undefined;
    for (const account of new Set(items.map((i) => i.locator.account))) {
      const standing = await standings.of(account);
      if (standing.status === 'excluded' || standing.status === 'outside') return standing.reason;
    }
    return undefined;
  }

  private async handleItem(
    item: WorkItem,
    trigger: TriggerEvent,
    receivedAt: number,
    options: HandleOptions,
  ): Promise<ResourceResult> {
    const { locator } = item;
    const empty = { resource: locator, evaluations: [], decisions: [], outcomes: [] };
    let snapshot: Snapshot | undefined;
    try {
      snapshot = await item.read();
    } catch (error) {
      return {
        ...empty,
        status: 'error',
        error: `cannot read ${item.type.type} ${locator.id ?? locator.name}: ${errorMessage(error)}`,
      };
    }
    if (!snapshot) {
      this.deps.audit.notFound(trigger, locator);
      return { ...empty, status: 'not-found' };
    }
    const itemOptions = item.approvalOver
      ? { ...options, approvalOver: item.approvalOver }
      : options;
    return this.handleSnapshot(item.policies, snapshot, trigger, itemOptions, receivedAt);
  }

  /**
   * Judges a snapshot read elsewhere (the periodic sweep) exactly as an event's: judge →
   * exception lookup and decision → execution → audit → reporters.
   */
  async handleSnapshot(
    policies: readonly AnyPolicy[],
    snapshot: Snapshot,
    trigger: TriggerEvent,
    options: HandleOptions = {},
    receivedAt: number = this.now(),
  ): Promise<ResourceResult> {
    const result: ResourceResult = {
      resource: snapshot.ref,
      status: 'evaluated',
      evaluations: [],
      decisions: [],
      outcomes: [],
    };
    const timingsNow = () => ({
      eventTime: trigger.eventTime,
      receivedAt: new Date(receivedAt).toISOString(),
    });
    // Reporters (Slack, SNS, history) never hold up the next policy's decision; report()
    // never throws (a failing reporter is audited), and all are awaited before returning.
    const reports: Promise<void>[] = [];
    const report = (context: Omit<ReportContext, 'trigger' | 'resource'>) =>
      reports.push(this.reports.report({ trigger, resource: snapshot!.ref, ...context }));
    const finish = (outcome: Outcome) => {
      result.outcomes.push(outcome);
      this.deps.audit.outcome(trigger, snapshot.ref, outcome);
    };

    for (const policy of policies) {
      const judged = await judgeWithContext(
        { ...this.deps, failureSenders: this.failureSenders },
        policy,
        snapshot,
        options.evaluated?.get(policy.id) ?? this.evaluate(policy, snapshot),
      );
      snapshot = judged.snapshot;
      const evaluation = judged.evaluation;
      result.evaluations.push(evaluation);
      if (evaluation.status === 'error') {
        this.deps.audit.evaluationError(trigger, snapshot.ref, policy.id, evaluation.error);
        report({ evaluation });
        continue;
      }
      if (evaluation.status === 'not-applicable') {
        // Nothing to decide or change; AWS Config can still show NOT_APPLICABLE.
        report({ evaluation });
        continue;
      }
      if (evaluation.status === 'compliant') {
        const outcome: Outcome = {
          policyId: policy.id,
          status: 'already-compliant',
          changes: [],
          timings: timingsNow(),
        };
        finish(outcome);
        report({ evaluation, outcome });
        continue;
      }
      let decision;
      try {
        decision = await decideWithExceptions(
          { ...this.deps, approvalsScheduled: this.deps.approvals !== undefined },
          policy,
          evaluation.violation,
          snapshot,
          this.now(),
          options,
        );
      } catch (error) {
        // Unknown exceptions or grace: neither revert (either may hold) nor pass silently; retry.
        const outcome: Outcome = {
          policyId: policy.id,
          status: 'failed',
          changes: [],
          error: `cannot read exceptions or the account's standing: ${errorMessage(error)}`,
          timings: timingsNow(),
        };
        finish(outcome);
        report({ evaluation, outcome });
        continue;
      }
      result.decisions.push(decision);
      this.deps.audit.decision(trigger, decision);
      const outcome = await this.executor.execute(decision, snapshot, trigger, receivedAt);
      finish(outcome);
      if (options.reportChangesOnly && !CHANGE_OUTCOMES.has(outcome.status)) continue;
      report({ evaluation, decision, outcome });
    }
    await Promise.all(reports);
    return result;
  }

  /** Flushes every buffering reporter; the failures, by reporter (nothing is dropped silently). */
  flushReporters(): Promise<{ reporter: string; error: unknown }[]> {
    return this.reports.flush();
  }

  /** The judge stage with this evaluator's configuration (the sweep judges with it too). */
  evaluate(policy: AnyPolicy, snapshot: Snapshot): Evaluation {
    return judge(policy, snapshot, this.deps.config);
  }
}
