import type {
  Decision,
  Evaluation,
  Outcome,
  OutcomeTimings,
  ResourceLocator,
  ResourceRef,
  TriggerEvent,
} from '../domain';
import type { ApprovalDeadline } from '../exceptions/deadline';

/**
 * What the evaluator's stages hand each other and return: the result of one event, of one
 * resource, and the ports (reporters, the remediation guard) the stages talk to.
 */

export const SKIP_CODES = [
  'unsupported-detail-type',
  'failed-call',
  'read-only',
  'unwatched-service',
  'ignored-event',
  'no-trigger',
  'own-change',
  'untrusted-source',
  'policy-gone',
  'account-not-covered',
  // AWS Config input (see sources/config-item.ts)
  'resource-deleted',
  'not-recorded',
  'unwatched-resource-type',
] as const;
export type SkipCode = (typeof SKIP_CODES)[number];

/** Everything the engine concluded about one resource an event touched. */
export interface ResourceResult {
  resource: ResourceRef | ResourceLocator;
  /** `not-found`: the resource no longer exists; `error`: it could not be read. */
  status: 'evaluated' | 'not-found' | 'error';
  error?: string;
  evaluations: Evaluation[];
  decisions: Decision[];
  outcomes: Outcome[];
}

export type EventResult =
  | { status: 'skipped'; eventId?: string; eventName?: string; code: SkipCode; reason: string }
  | {
      status: 'handled';
      eventId: string;
      eventName: string;
      trigger: TriggerEvent;
      resources: ResourceResult[];
    };

export interface HandleOptions {
  /** Report what would be done; write nothing to AWS whatever the configured modes. */
  dryRun?: boolean;
  /** Mode `approve`: the wait is over (deadline passed, or a human asked to revert now). */
  approvalOver?: ApprovalDeadline['reason'];
  /**
   * The violation is already known to be open (the periodic sweep meets it again): tell the
   * reporters only what changed (a revert, a failure, an escalation), not once more that it
   * is open, so a daily sweep does not repeat every notice every day. Audit is unaffected.
   */
  reportChangesOnly?: boolean;
  /**
   * Evaluations already made on this very snapshot (the sweep judged it before acting):
   * used as they are, so a policy judges one snapshot once.
   */
  evaluated?: ReadonlyMap<string, Evaluation>;
  /**
   * Accept a bare CloudTrail record (no EventBridge envelope, so no `source` to check): only
   * for local input a user hands the CLI (`rampart handle`, `rampart simulate`). The Lambda
   * never sets it, so a bare record invoked directly or queued is refused.
   */
  trustBareRecords?: boolean;
}

/** True when a result needs a retry: a resource could not be read or a remediation failed. */
export function needsRetry(result: EventResult): boolean {
  return (
    result.status === 'handled' &&
    result.resources.some(
      (r) => r.status === 'error' || r.outcomes.some((o) => o.status === 'failed'),
    )
  );
}

/** Everything known about one policy on one resource once the engine is done with it. */
export interface ReportContext {
  trigger: TriggerEvent;
  resource: ResourceRef;
  evaluation: Evaluation;
  decision?: Decision;
  outcome?: Outcome;
}

/**
 * A port for whatever must hear about results (Slack and SNS notices, AWS Config
 * PutEvaluations, ...). Reporters run after the outcome is final; their failures are
 * audited and never undo or fail a remediation.
 */
export interface Reporter {
  name: string;
  report(context: ReportContext): Promise<void>;
  /**
   * Writes what `report` buffered (a sweep's history, written in batches); the sweep calls
   * it once its actions have settled. Throws when something could not be written.
   */
  flush?(): Promise<void>;
}

/** What a guard needs to know about a remediation it may hold back. */
export interface GuardSubject {
  trigger: TriggerEvent;
  decision: Decision;
  resource: ResourceRef;
  timings: OutcomeTimings;
}

/**
 * Runs or holds back a remediation (the revert-war breaker, src/reliability). It returns
 * the remediation's outcome, or an `escalated`/`suppressed` one when it did not run it.
 */
export interface RemediationGuard {
  run(subject: GuardSubject, remediate: () => Promise<Outcome>): Promise<Outcome>;
}
