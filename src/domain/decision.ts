import type { Violation } from './violation';

export const MODES = ['enforce', 'approve', 'notify', 'dry-run'] as const;
/** How a policy acts on a violation, chosen per policy in configuration. */
export type Mode = (typeof MODES)[number];

/** What the engine decided to do about a violation, and why. */
export interface Decision {
  policyId: string;
  mode: Mode;
  /**
   * `remediate`: run the remediator; `notify`: tell humans only; `dry-run`: report what would
   * be done; `await-approval`: leave it until a deadline unless an exception is approved;
   * `excepted`: an active exception covers it, nothing is done.
   */
  action: 'remediate' | 'notify' | 'dry-run' | 'await-approval' | 'excepted';
  remediatorId?: string;
  /** The exception that covers the violation (action `excepted`). */
  exceptionId?: string;
  reason: string;
  violation: Violation;
}

export const OUTCOME_STATUSES = [
  'reverted',
  'already-compliant',
  'notified',
  'dry-run',
  'failed',
  'awaiting-approval',
  'excepted',
  /** The revert-war breaker tripped on this violation: not reverted, humans are told once. */
  'escalated',
  /** Not reverted because the breaker is open (after an escalation, until its cool-down). */
  'suppressed',
] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

export interface OutcomeTimings {
  /** CloudTrail eventTime of the change (ISO-8601). */
  eventTime?: string;
  /** When Rampart started handling the event. */
  receivedAt: string;
  /** When the remediator had verified its change. */
  verifiedAt?: string;
  /**
   * verifiedAt − eventTime of the change that opened it: what a human experiences as "how
   * long it stayed open". Event-driven reverts only: a sweep knows no such change.
   */
  timeToRevertMs?: number;
  /**
   * A sweep's revert of drift: verifiedAt − the previous sweep's start, when it was not open
   * yet (an upper bound of how long it stayed open). Kept apart from timeToRevertMs.
   */
  openAtMostMs?: number;
  /** verifiedAt − receivedAt: Rampart's own share of it. */
  handlingMs?: number;
}

/** What actually happened, with the resource's state before and after. */
export interface Outcome {
  policyId: string;
  status: OutcomeStatus;
  remediatorId?: string;
  /** What was changed, one line per element (`revoked sgr-123 tcp 22 from 0.0.0.0/0`). */
  changes: string[];
  before?: unknown;
  after?: unknown;
  timings: OutcomeTimings;
  error?: string;
  /** ISO-8601 time the violation is reverted unless an exception is approved (`awaiting-approval`). */
  approvalDeadline?: string;
  exceptionId?: string;
  /** Why a remediation was held back (`escalated`, `suppressed`). */
  reason?: string;
}
