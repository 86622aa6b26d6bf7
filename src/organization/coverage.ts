import type { OrganizationSettings } from '../config/organization';

/**
 * Whether Rampart covers an account of the organization, from its place in the tree: pure,
 * so that the sweep's plan and the evaluator decide the same way. Ids match exactly.
 */
export type Coverage =
  | { status: 'covered' }
  | { status: 'excluded'; reason: string }
  | { status: 'outside'; reason: string };

/** `ancestors`: the account's OU first, up to the root. */
export function coverageOf(
  account: string,
  ancestors: readonly string[],
  settings: OrganizationSettings,
): Coverage {
  if (settings.exclude.accounts.includes(account)) {
    return { status: 'excluded', reason: `account ${account} is in organization.exclude.accounts` };
  }
  const excludedOu = ancestors.find((id) => settings.exclude.organizationalUnits.includes(id));
  if (excludedOu) {
    return {
      status: 'excluded',
      reason: `account ${account} is under ${excludedOu}, in organization.exclude.organizationalUnits`,
    };
  }
  if (ancestors.some((id) => settings.organizationalUnits.includes(id)))
    return { status: 'covered' };
  return {
    status: 'outside',
    reason: `account ${account} is not under any of organization.organizationalUnits (its parents: ${ancestors.join(' < ') || 'none'})`,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The end of an account's grace period, or undefined once it is over (or there is none). */
export function graceUntil(
  enrolledAt: string,
  settings: OrganizationSettings,
  now: number,
): string | undefined {
  const until = Date.parse(enrolledAt) + settings.gracePeriodDays * DAY_MS;
  return Number.isFinite(until) && until > now ? new Date(until).toISOString() : undefined;
}
