import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import type { Decision, Mode, Violation } from '../domain';
import type { ExceptionLookup } from '../exceptions/store';
import type { AccountStandings } from '../organization/standing';
import type { Catalog } from './catalog';
import type { AnyPolicy, Snapshot } from './definitions';
import { withTags } from './judge';
import type { HandleOptions } from './results';

/**
 * The decide stage: what to do about one violation — remediate, notify, wait for an
 * approval, honour an exception, or only say what would be done (dry run). Reads nothing
 * but the exceptions table; writes nothing.
 */
export function decide(
  policy: AnyPolicy,
  violation: Violation,
  config: RampartConfig,
  options: HandleOptions & {
    approvalsScheduled: boolean;
    /** The account is in its grace period (organization.gracePeriodDays): why, if so. */
    grace?: string;
  },
): Decision {
  const mode: Mode = options.dryRun ? 'dry-run' : config.policies[policy.id]!.mode;
  const base = { policyId: policy.id, mode, violation, remediatorId: policy.remediatorId };
  if (mode === 'dry-run')
    return { ...base, action: 'dry-run', reason: 'dry-run: nothing is written' };
  if (mode === 'notify') return { ...base, action: 'notify', reason: 'policy mode is notify' };
  // Check before enforce: only a human's explicit "revert now" acts in a new account.
  if (options.grace && options.approvalOver !== 'revert-now') {
    return { ...base, action: 'notify', reason: options.grace };
  }
  if (violation.reportOnly) {
    return { ...base, action: 'notify', reason: `reported, not reverted: ${violation.reportOnly}` };
  }
  if (!policy.remediatorId) {
    return { ...base, action: 'notify', reason: 'no in-place remediation exists for this policy' };
  }
  if (mode === 'approve') {
    if (options.approvalOver === 'revert-now')
      return { ...base, action: 'remediate', reason: 'a human asked to revert now' };
    if (options.approvalOver === 'deadline')
      return {
        ...base,
        action: 'remediate',
        reason: 'approval deadline passed without an exception',
      };
    if (!options.approvalsScheduled)
      return {
        ...base,
        action: 'remediate',
        reason: 'policy mode is approve, but no deadline scheduler is configured: reverting now',
      };
    return {
      ...base,
      action: 'await-approval',
      reason: 'policy mode is approve: waiting for an exception until the deadline',
    };
  }
  return { ...base, action: 'remediate', reason: 'policy mode is enforce' };
}

export interface DecideDeps {
  catalog: Catalog;
  config: RampartConfig;
  clients: AwsClients;
  exceptions?: ExceptionLookup;
  approvalsScheduled: boolean;
  /** Accounts in their grace period only notify (src/organization/standing.ts). */
  standings?: AccountStandings;
}

/**
 * The decision, with an active exception (granted in Slack) turning it into `excepted`.
 * Throws when the exceptions (or the account's standing) cannot be read: the caller neither
 * reverts (one may exist) nor passes the violation silently.
 */
export async function decideWithExceptions(
  deps: DecideDeps,
  policy: AnyPolicy,
  violation: Violation,
  snapshot: Snapshot,
  now: number,
  options: HandleOptions,
): Promise<Decision> {
  const standing = await deps.standings?.of(snapshot.ref.account);
  const decision = decide(policy, violation, deps.config, {
    ...options,
    approvalsScheduled: deps.approvalsScheduled,
    ...(standing?.status === 'grace' ? { grace: standing.reason } : {}),
  });
  if (!deps.exceptions) return decision;
  const exception = await deps.exceptions.find(violation, await withTags(deps, snapshot), now);
  if (!exception) return decision;
  return {
    ...decision,
    action: 'excepted',
    exceptionId: exception.id,
    reason: `exception ${exception.id} approved by ${exception.approver} until ${exception.expiresAt}`,
  };
}
