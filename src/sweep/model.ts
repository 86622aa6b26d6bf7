import { randomUUID } from 'node:crypto';

/** What the sweep says about one policy on one resource, as scripts read it (JSON contract). */
export const FINDING_STATUSES = ['violation', 'excepted', 'reverted', 'failed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** One policy on one resource: what a finding and a history outcome are about. */
export interface PolicyOnResource {
  policy: string;
  resourceType: string;
  resourceId: string;
  arn: string;
  account: string;
  region: string;
}

export interface SweepFinding extends PolicyOnResource {
  status: FindingStatus;
  message: string;
}

/** A listing that could not be done: the rest of the sweep goes on, the run exits 2. */
export interface SweepError {
  account: string;
  region: string;
  resourceType: string;
  /** `access`: denied or no credentials (the action is named); `error`: anything else. */
  kind: 'access' | 'error';
  /** The IAM action that was denied, e.g. `ec2:DescribeSecurityGroupRules`. */
  action?: string;
  code?: string;
  message: string;
}

/** Counts of one policy in one account (a row of the compliance snapshot). */
export interface PolicyAccountCounts {
  policy: string;
  account: string;
  resources: number;
  compliant: number;
  /** Pairs the policy does not concern (an Aurora member instance, a queue that is a DLQ). */
  notApplicable: number;
  violations: number;
  excepted: number;
  reverted: number;
  failed: number;
  /** Violations first found by this sweep: neither the previous sweep nor an event had them open. */
  drift: number;
}

export interface SweepSummary {
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  accounts: string[];
  regions: string[];
  /** `describe`: per-account list/describe calls; `aggregator`: an AWS Config aggregator query. */
  source: 'describe' | 'aggregator';
  remediate: boolean;
  resources: number;
  evaluations: number;
  compliant: number;
  /** Pairs the policy does not concern (an Aurora member instance, a queue that is a DLQ). */
  notApplicable: number;
  violations: number;
  excepted: number;
  reverted: number;
  failed: number;
  drift: number;
  errors: SweepError[];
  byPolicyAccount: PolicyAccountCounts[];
  /** Assembled from shards: its open keys are kept per shard (src/history/shards.ts). */
  sharded?: boolean;
  /** Accounts in their grace period at this run (notify only), when an organization is covered. */
  grace?: { account: string; until: string }[];
}

export interface SweepReport {
  findings: SweepFinding[];
  summary: SweepSummary;
}

/** A run's id: its start, sortable, and 8 random hex digits (two runs in one millisecond differ). */
export function newRunId(startedAt: string): string {
  return `${startedAt.replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
}

/** The key the history uses for one policy on one resource. */
export function findingKey(policy: string, arn: string): string {
  return `${policy}|${arn}`;
}
