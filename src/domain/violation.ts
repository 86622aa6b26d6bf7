import type { ResourceRef } from './resource';

/** One offending element of a resource, precise enough for a remediator to remove only it. */
export interface OffendingElement {
  /** e.g. `security-group-rule`, `managed-policy-attachment`. */
  kind: string;
  /** The service's id for the element when it has one (a security group rule id). */
  id?: string;
  /** Human-readable, e.g. `tcp 22 from 0.0.0.0/0`. */
  description: string;
}

/** What a policy found wrong, before the engine attaches it to a resource. */
export interface Finding {
  message: string;
  elements: OffendingElement[];
  /**
   * What the policy's parameters ask the remediator to do (a KMS key, a designated queue,
   * a maxReceiveCount): policies own their parameters, remediators only read this.
   */
  remedy?: Record<string, unknown>;
  /**
   * Set when nothing of the violation may be reverted automatically (an admin role AWS
   * itself provisions): it is reported, in every mode, and never remediated.
   */
  reportOnly?: string;
}

export interface Violation extends Finding {
  policyId: string;
  resource: ResourceRef;
}

/**
 * The result of evaluating one policy on one snapshot. `not-applicable` (the policy does not
 * concern this resource, with why) is counted apart; an evaluation that threw is `error`:
 * reported, never counted as compliant.
 */
export type Evaluation =
  | { policyId: string; resource: ResourceRef; status: 'compliant' }
  | { policyId: string; resource: ResourceRef; status: 'not-applicable'; reason: string }
  | { policyId: string; resource: ResourceRef; status: 'violation'; violation: Violation }
  | { policyId: string; resource: ResourceRef; status: 'error'; error: string };
