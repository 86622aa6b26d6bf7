import type { OrganizationSettings } from '../config/organization';
import { coverageOf, graceUntil } from './coverage';
import type { OrganizationDirectory } from './directory';
import type { Enrollments } from './enrollments';

/**
 * What Rampart may do in an account: enforce its policies' modes, only notify (a newly
 * covered account in its grace period), or nothing at all (excluded, or outside the OUs).
 */
export type AccountStanding =
  | { status: 'enforced' }
  | { status: 'grace'; until: string; reason: string }
  | { status: 'excluded' | 'outside'; reason: string };

/** The port the evaluator and the sweep ask; without an organization, every account is enforced. */
export interface AccountStandings {
  of(account: string): Promise<AccountStanding>;
}

export const ENFORCED = { status: 'enforced' } as const satisfies AccountStanding;

/** How long a standing is trusted in a warm function before it is read again. */
const CACHE_MS = 5 * 60 * 1000;
const CACHE_ENTRIES = 10_000;

export interface CoveredAccount {
  account: string;
  standing: Extract<AccountStanding, { status: 'enforced' | 'grace' }>;
}

/** The covered accounts' ids and those of them in grace: what a sweep covers and reports. */
export async function organizationScope(
  standings: OrganizationStandings,
): Promise<{ accounts: string[]; grace: { account: string; until: string }[] }> {
  const covered = await standings.covered();
  return {
    accounts: covered.map((c) => c.account),
    grace: covered.flatMap((c) =>
      c.standing.status === 'grace' ? [{ account: c.account, until: c.standing.until }] : [],
    ),
  };
}

export class OrganizationStandings implements AccountStandings {
  private readonly now: () => number;
  private readonly cache = new Map<string, { standing: AccountStanding; at: number }>();

  constructor(
    private readonly deps: {
      settings: OrganizationSettings;
      directory: OrganizationDirectory;
      /** Where first sight is kept; without it the grace runs from joining the organization. */
      enrollments?: Enrollments;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
  }

  async of(account: string): Promise<AccountStanding> {
    const cached = this.cache.get(account);
    if (cached && this.now() - cached.at < CACHE_MS) return cached.standing;
    const { settings, directory } = this.deps;
    const coverage = coverageOf(account, await directory.ancestors(account), settings);
    const standing =
      coverage.status === 'covered'
        ? await this.graceOf(account, () => directory.joinedAt(account))
        : coverage;
    if (this.cache.size >= CACHE_ENTRIES) this.cache.clear();
    this.cache.set(account, { standing, at: this.now() });
    return standing;
  }

  /** Every covered account (under the OUs, less the exclusions), with its standing: the sweep's plan. */
  async covered(): Promise<CoveredAccount[]> {
    const { settings, directory, enrollments } = this.deps;
    const accounts = await directory.accountsUnder(
      settings.organizationalUnits,
      new Set(settings.exclude.organizationalUnits),
    );
    const known = new Map((await enrollments?.all())?.map((e) => [e.account, e.enrolledAt]));
    const out: CoveredAccount[] = [];
    for (const a of accounts) {
      if (settings.exclude.accounts.includes(a.id)) continue;
      const standing = await this.graceOf(a.id, async () => a.joinedAt, known.get(a.id));
      out.push({ account: a.id, standing });
      this.cache.set(a.id, { standing, at: this.now() });
    }
    return out;
  }

  private async graceOf(
    account: string,
    joinedAt: () => Promise<string | undefined>,
    enrolledAt?: string,
  ): Promise<CoveredAccount['standing']> {
    const { settings, enrollments } = this.deps;
    if (settings.gracePeriodDays === 0) return ENFORCED;
    const nowIso = new Date(this.now()).toISOString();
    const since =
      enrolledAt ??
      (enrollments ? (await enrollments.enroll(account, nowIso)).enrolledAt : await joinedAt());
    const until = since ? graceUntil(since, settings, this.now()) : undefined;
    if (!until) return ENFORCED;
    return {
      status: 'grace',
      until,
      reason: `account ${account} is in its grace period until ${until} (organization.gracePeriodDays: ${settings.gracePeriodDays}): reported, not reverted`,
    };
  }
}
