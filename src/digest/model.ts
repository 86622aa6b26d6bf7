import type { ControlRef } from '../engine/frameworks';
import { frameworkSections, type FrameworkSection } from './frameworks';
import type { ComplianceSettings } from '../config/compliance';
import type { ExceptionRecord } from '../exceptions/model';
import { accountOfArn, describeScope } from '../exceptions/model';
import type { ExceptionDecision } from '../exceptions/store';
import type { DigestRecord, OutcomeRecord } from '../history/store';
import type { SweepSummary } from '../sweep/model';

/** How often the digest goes out (`compliance.digest.schedule`). */
export type DigestSchedule = ComplianceSettings['digest']['schedule'];

const DAY_MS = 24 * 60 * 60 * 1000;
export const PERIOD_MS: Record<DigestSchedule, number> = { daily: DAY_MS, weekly: 7 * DAY_MS };
/** Exceptions expiring within this long of the digest are listed. */
export const EXPIRING_WITHIN_MS = 7 * DAY_MS;

export class DigestError extends Error {
  override readonly name = 'DigestError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * The digest's period: from the previous digest (if it is no older than twice the
 * schedule's period, so a digest after a long pause does not cover months) to `now`;
 * otherwise the schedule's period back from `now`.
 */
export function digestPeriod(
  now: string,
  schedule: DigestSchedule,
  previous?: Pick<DigestRecord, 'generatedAt'>,
): { from: string; to: string } {
  const to = Date.parse(now);
  if (Number.isNaN(to)) throw new DigestError(`now ${JSON.stringify(now)} is not a date`, 'now');
  const period = PERIOD_MS[schedule];
  const prev = previous ? Date.parse(previous.generatedAt) : NaN;
  const from = prev < to && to - prev <= 2 * period ? prev : to - period;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** Everything a digest is computed from; reading it is the caller's job (src/digest/source.ts). */
export interface DigestInputs {
  /** When the digest is made; also the end of its period. */
  generatedAt: string;
  from: string;
  to: string;
  schedule: DigestSchedule;
  /** The latest sweep at or before `to`: its open violations are the digest's. */
  sweep?: SweepSummary;
  /** Outcomes handled in [from, to]. */
  outcomes: readonly OutcomeRecord[];
  /** Exception grants and denials in [from, to]. */
  decisions: readonly ExceptionDecision[];
  /** Exceptions active at `to`. */
  activeExceptions: readonly ExceptionRecord[];
  /** Earlier digests, oldest first; the last is the previous one (the trend's baseline). */
  pastDigests: readonly DigestRecord[];
  /** How many actors to list. */
  topActors: number;
  /** The controls each policy checks (the policies' declarations): the per-framework section. */
  controls?: Readonly<Record<string, readonly ControlRef[]>>;
}

export interface TimeToRevert {
  samples: number;
  /** Nearest-rank percentiles, in milliseconds; absent without samples. */
  p50Ms?: number;
  p95Ms?: number;
}

/** One policy in one account. */
export interface DigestRow {
  policy: string;
  account: string;
  open: number;
  /** Open in the previous digest (undefined: the row did not exist then or there is none). */
  previousOpen?: number;
  reverted: number;
  granted: number;
  denied: number;
  expiringSoon: number;
  timeToRevert: TimeToRevert;
}

export interface ExpiringException {
  id: string;
  policy: string;
  account: string;
  scope: string;
  expiresAt: string;
}

export interface Digest {
  schema: 'rampart.digest/1';
  generatedAt: string;
  from: string;
  to: string;
  schedule: DigestSchedule;
  /**
   * The sweep the open counts come from; absent when no sweep has run yet. `notApplicable`
   * counts policy × resource pairs a policy does not concern.
   */
  sweep?: { runId: string; startedAt: string; resources: number; notApplicable: number };
  totals: Omit<DigestRow, 'policy' | 'account'> & {
    previousDigestAt?: string;
    /**
     * Drift the sweep reverted, measured apart from event-driven time to revert: open at most
     * this long (from the previous sweep, which did not see it open, to the verified revert).
     */
    sweepOpenAtMost: TimeToRevert;
  };
  /** Sorted by open violations (most first), then reverts, then policy and account. */
  rows: DigestRow[];
  topActors: { actor: string; violations: number }[];
  expiring: ExpiringException[];
  /** Open violations at each past digest and now, oldest first. */
  trend: { at: string; open: number; reverted?: number }[];
  /** Controls passing and failing, per framework (from the latest sweep); none without controls. */
  frameworks: FrameworkSection[];
  /**
   * Accounts still in their grace period at the digest's end (organization.gracePeriodDays):
   * their violations are reported, not reverted. Soonest to enforce first.
   */
  grace: { account: string; until: string }[];
}

/** Nearest-rank percentile of sorted values: the smallest value with at least p% at or below it. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

function timeToRevertOf(values: number[]): TimeToRevert {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { samples: 0 };
  return { samples: sorted.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95) };
}

const rowKey = (policy: string, account: string) => `${policy}\u0000${account}`;

function exceptionAccount(e: ExceptionRecord): string {
  return e.scope.kind === 'tag' ? e.scope.account : (accountOfArn(e.scope.arn) ?? 'unknown');
}

function inPeriod(iso: string, from: number, to: number): boolean {
  const t = Date.parse(iso);
  return t >= from && t <= to;
}

/** Computes the digest from its records; no I/O. */
export function computeDigest(inputs: DigestInputs): Digest {
  const from = Date.parse(inputs.from);
  const to = Date.parse(inputs.to);
  const rows = new Map<string, DigestRow & { ttr: number[] }>();
  const row = (policy: string, account: string) => {
    const key = rowKey(policy, account);
    let r = rows.get(key);
    if (!r) {
      r = {
        policy,
        account,
        open: 0,
        reverted: 0,
        granted: 0,
        denied: 0,
        expiringSoon: 0,
        timeToRevert: { samples: 0 },
        ttr: [],
      };
      rows.set(key, r);
    }
    return r;
  };

  for (const c of inputs.sweep?.byPolicyAccount ?? []) {
    if (c.violations > 0) row(c.policy, c.account).open += c.violations;
  }
  const previous = inputs.pastDigests.at(-1);
  const previousOpen = new Map(
    (previous?.byPolicyAccount ?? []).map((p) => [rowKey(p.policy, p.account), p.open]),
  );
  // A row that was open last time and is clean now is news too.
  for (const p of previous?.byPolicyAccount ?? []) if (p.open > 0) row(p.policy, p.account);

  // One violation per event, policy and resource: an `approve`-mode change is recorded when it
  // awaits approval and again when reverted, and is still one violation of its actor.
  const actors = new Map<string, Set<string>>();
  const sweepOpen: number[] = [];
  for (const o of inputs.outcomes) {
    if (!inPeriod(o.time, from, to)) continue;
    if (o.status === 'reverted') {
      const r = row(o.policy, o.account);
      r.reverted++;
      // A sweep's revert says nothing about how fast events are answered: kept apart.
      if (o.source === 'sweep') {
        if (o.openAtMostMs !== undefined) sweepOpen.push(o.openAtMostMs);
      } else if (o.timeToRevertMs !== undefined) r.ttr.push(o.timeToRevertMs);
    }
    // Every recorded outcome is a violation somebody caused; the sweep's own are nobody's.
    if (o.actor && o.source !== 'sweep') {
      const seen = actors.get(o.actor) ?? new Set<string>();
      seen.add(`${o.eventId}|${o.policy}|${o.arn}`);
      actors.set(o.actor, seen);
    }
  }
  for (const d of inputs.decisions) {
    if (!inPeriod(d.at, from, to)) continue;
    row(d.policyId, d.account)[d.decision]++;
  }
  const expiring: ExpiringException[] = [];
  for (const e of inputs.activeExceptions) {
    const expires = Date.parse(e.expiresAt);
    if (e.status !== 'active' || expires <= to || expires > to + EXPIRING_WITHIN_MS) continue;
    const account = exceptionAccount(e);
    row(e.policyId, account).expiringSoon++;
    expiring.push({
      id: e.id,
      policy: e.policyId,
      account,
      scope: describeScope(e.scope),
      expiresAt: e.expiresAt,
    });
  }

  const allTtr: number[] = [];
  const finished: DigestRow[] = [...rows.values()].map(({ ttr, ...r }) => {
    allTtr.push(...ttr);
    const prev = previousOpen.get(rowKey(r.policy, r.account));
    return {
      ...r,
      timeToRevert: timeToRevertOf(ttr),
      ...(previous ? { previousOpen: prev ?? 0 } : {}),
    };
  });
  finished.sort(
    (a, b) =>
      b.open - a.open ||
      b.reverted - a.reverted ||
      a.policy.localeCompare(b.policy) ||
      a.account.localeCompare(b.account),
  );
  const sum = (f: (r: DigestRow) => number) => finished.reduce((n, r) => n + f(r), 0);
  const open = sum((r) => r.open);
  const reverted = sum((r) => r.reverted);

  return {
    schema: 'rampart.digest/1',
    generatedAt: inputs.generatedAt,
    from: inputs.from,
    to: inputs.to,
    schedule: inputs.schedule,
    ...(inputs.sweep
      ? {
          sweep: {
            runId: inputs.sweep.runId,
            startedAt: inputs.sweep.startedAt,
            resources: inputs.sweep.resources,
            notApplicable: inputs.sweep.notApplicable ?? 0,
          },
        }
      : {}),
    totals: {
      open,
      ...(previous
        ? { previousOpen: previous.openViolations, previousDigestAt: previous.generatedAt }
        : {}),
      reverted,
      granted: sum((r) => r.granted),
      denied: sum((r) => r.denied),
      expiringSoon: expiring.length,
      timeToRevert: timeToRevertOf(allTtr),
      sweepOpenAtMost: timeToRevertOf(sweepOpen),
    },
    rows: finished,
    topActors: [...actors]
      .map(([actor, seen]) => ({ actor, violations: seen.size }))
      .sort((a, b) => b.violations - a.violations || a.actor.localeCompare(b.actor))
      .slice(0, inputs.topActors),
    expiring: expiring.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt)),
    trend: [
      ...inputs.pastDigests.map((d) => ({
        at: d.generatedAt,
        open: d.openViolations,
        ...(d.reverted !== undefined ? { reverted: d.reverted } : {}),
      })),
      { at: inputs.generatedAt, open, reverted },
    ],
    frameworks: frameworkSections(inputs.sweep, inputs.controls ?? {}),
    grace: (inputs.sweep?.grace ?? [])
      .filter((g) => Date.parse(g.until) > to)
      .sort((a, b) => a.until.localeCompare(b.until) || a.account.localeCompare(b.account)),
  };
}

/** What is kept of a digest for the next one's trend. */
export function digestRecordOf(digest: Digest): DigestRecord {
  return {
    generatedAt: digest.generatedAt,
    from: digest.from,
    to: digest.to,
    openViolations: digest.totals.open,
    reverted: digest.totals.reverted,
    byPolicyAccount: digest.rows
      .filter((r) => r.open > 0)
      .map((r) => ({ policy: r.policy, account: r.account, open: r.open })),
  };
}
