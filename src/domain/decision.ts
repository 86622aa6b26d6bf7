import type { Violation } from './violation';

export const MODES = ['enforce', 'notify', 'dry-run'] as const;
/** How a policy acts on a violation, chosen per policy in configuration. */
export type Mode = (typeof MODES)[number];

/** What the engine decided to do about a violation, and why. */
export interface Decision {
  policyId: string;
  mode: Mode;
  /** `remediate`: run the remediator; `notify`: tell humans only; `dry-run`: report what would be done. */
  action: 'remediate' | 'notify' | 'dry-run';
  remediatorId?: string;
  reason: string;
  violation: Violation;
}

export const OUTCOME_STATUSES = [
  'reverted',
  'already-compliant',
  'notified',
  'dry-run',
  'failed',
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
  /** verifiedAt − eventTime: what a human experiences as "how long it stayed open". */
  timeToRevertMs?: number;
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
  /** Why a remediation was held back (`escalated`, `suppressed`). */
  reason?: string;
}
