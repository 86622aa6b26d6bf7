import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import pLimit, { type LimitFunction } from 'p-limit';
import { iamActionOf, isAccessError } from '../aws/action-errors';
import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import type { Evaluation, TriggerEvent } from '../domain';
import type { Catalog } from '../engine/catalog';
import type { AnyPolicy, AnyResourceType, Snapshot } from '../engine/definitions';
import type { Evaluator, ResourceResult } from '../engine/evaluator';
import { failureSenderTypes } from '../engine/failure-senders';
import { errorMessage } from '../errors';
import type { HistoryStore } from '../history/store';
import { organizationScope, type OrganizationStandings } from '../organization/standing';
import { listFromAggregator, type AggregatorSource } from './aggregator';
import {
  findingKey,
  newRunId,
  type FindingStatus,
  type PolicyAccountCounts,
  type SweepError,
  type SweepFinding,
  type SweepReport,
  type SweepSummary,
} from './model';

export const SWEEP_EVENT_SOURCE = 'rampart.sweep';
/** Trigger names: a violation nobody had seen open (drift), or one already known. */
export const DRIFT_EVENT = 'DriftDetected';
export const KNOWN_VIOLATION_EVENT = 'ViolationStillOpen';
/** Appended to the message of a violation first found by this sweep. */
export const DRIFT_LABEL = '[drift: not open at the previous sweep nor reported by an event]';

/** Told as the sweep goes: how many resources of a type were listed, how many are judged. */
export interface SweepProgress {
  discovered(resourceType: string, count: number): void;
  scanned(resourceType: string, count: number): void;
}

export interface SweepOptions {
  /** Regions to sweep; empty: `compliance.sweep.regions`, else AWS_REGION. */
  regions?: readonly string[];
  /** Act per each policy's mode; otherwise read-only (decisions are dry runs). */
  remediate: boolean;
  /** Keep the run's snapshot in the history table (when there is one); default true. */
  record?: boolean;
  progress?: SweepProgress;
  /** One shard of a fanned-out run (one account and region); see src/sweep/shards.ts. */
  shard?: ShardScope;
}

/** The work unit that lists Config's view of every aggregated type at once. */
export const AGGREGATOR_UNIT = 'config-aggregator';

/** One account × region of a run that the state machine fans out. */
export interface ShardScope {
  runId: string;
  startedAt: string;
  account: string;
  region: string;
  /** Whether this shard also sweeps the global types (IAM): one shard per account does. */
  global: boolean;
  /** Types (or AGGREGATOR_UNIT) an earlier invocation of this shard already swept. */
  skip?: readonly string[];
  /** Violations known open here (the previous run's and events'); no history read. */
  known: ReadonlySet<string>;
  previousStartedAt?: string;
  /** Epoch ms after which no listing starts: the rest is returned as `pending`. */
  deadline?: number;
}

export interface SweeperDeps {
  catalog: Catalog;
  config: RampartConfig;
  clients: AwsClients;
  evaluator: Evaluator;
  /** Where drift is judged against and the run's snapshot is kept; none locally. */
  history?: HistoryStore;
  /** With `organization:`, the covered accounts are swept (and no other). */
  standings?: OrganizationStandings;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

/** Statuses of violations an event reported as still open (so not drift). */
const OPEN_OUTCOMES: ReadonlySet<string> = new Set([
  'notified',
  'awaiting-approval',
  'excepted',
  'failed',
  'escalated',
  'suppressed',
]);

interface Judged {
  type: AnyResourceType;
  policies: AnyPolicy[];
}

interface Target extends Judged {
  account: string;
  region: string;
}

export type SweepResult = SweepReport & {
  openKeys: string[];
  /** Units (types, AGGREGATOR_UNIT) not started before the shard's deadline. */
  pending: string[];
  /** Units this run swept (listing errors included: they are reported, not retried). */
  swept: string[];
};

/**
 * The periodic sweep: lists every resource of every type an enabled policy judges, in
 * every configured account and region, judges each with the evaluator's pure policies and
 * sends the violations through the evaluator's decide → act → audit → report path.
 */
export class Sweeper {
  private readonly now: () => number;

  constructor(private readonly deps: SweeperDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The enabled policies of every resource type that has any. */
  judgedTypes(): Judged[] {
    const { catalog, config } = this.deps;
    return [...catalog.resourceTypes.values()]
      .map((type) => ({
        type,
        policies: catalog.policiesFor(type.type).filter((p) => config.policies[p.id]?.enabled),
      }))
      .filter((t) => t.policies.length > 0);
  }

  regionsOf(options: SweepOptions): string[] {
    const env = this.deps.env ?? process.env;
    const configured = this.deps.config.compliance.sweep.regions;
    const fallback = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (options.regions?.length) return [...new Set(options.regions)];
    if (configured.length) return [...configured];
    return fallback ? [fallback] : [];
  }

  async run(options: SweepOptions): Promise<SweepResult> {
    const started = this.now();
    const { shard } = options;
    const startedAt = shard?.startedAt ?? new Date(started).toISOString();
    const runId = shard?.runId ?? newRunId(startedAt);
    const { config } = this.deps;
    const regions = shard ? [shard.region] : this.regionsOf(options);
    const calls = pLimit(config.compliance.sweep.concurrency);
    const trigger: TriggerEvent = {
      source: 'sweep',
      eventId: `sweep-${runId}`,
      eventName: KNOWN_VIOLATION_EVENT,
      eventSource: SWEEP_EVENT_SOURCE,
      eventTime: startedAt,
    };
    const errors: SweepError[] = [];
    let grace: { account: string; until: string }[] = [];
    let configured: readonly string[] = shard ? [shard.account] : config.compliance.sweep.accounts;
    if (!shard && this.deps.standings) {
      try {
        ({ accounts: configured, grace } = await organizationScope(this.deps.standings));
      } catch (error) {
        errors.push(
          sweepErrorOf(error, { account: '-', region: '-', resourceType: 'organization' }),
        );
        configured = [];
      }
    }
    // An organization that covers no account (or could not be read) sweeps nothing.
    const explicit = shard !== undefined || this.deps.standings !== undefined;
    const [{ known, previousStartedAt }, accounts] = await Promise.all([
      shard
        ? { known: shard.known, previousStartedAt: shard.previousStartedAt }
        : this.knownOpen(started).catch((error: unknown) => {
            errors.push(
              sweepErrorOf(error, { account: '-', region: '-', resourceType: 'history' }),
            );
            return { known: new Set<string>(), previousStartedAt: undefined };
          }),
      this.accounts(regions[0], configured, explicit, errors).catch((error: unknown) => {
        errors.push(sweepErrorOf(error, { account: '-', region: '-', resourceType: 'account' }));
        return [] as string[];
      }),
    ]);
    const run = new SweepRun(this.deps, options, calls, known, trigger, errors, previousStartedAt);

    const judged = this.judgedTypes();
    const aggregator = config.compliance.sweep.aggregator;
    const viaAggregator = aggregator
      ? judged.filter(({ type }) => type.fromConfigItem && !type.enumerate?.global)
      : [];
    const skip = new Set(shard?.skip ?? []);
    const viaDescribe = judged.filter(
      (t) =>
        !viaAggregator.includes(t) &&
        t.type.enumerate &&
        !skip.has(t.type.type) &&
        (!shard || shard.global || !t.type.enumerate.global),
    );
    const aggregated = viaAggregator.length > 0 && !skip.has(AGGREGATOR_UNIT);

    const targets: Target[] = [];
    for (const account of accounts) {
      for (const t of viaDescribe) {
        // Global services (IAM) once per account, from the first region.
        for (const region of t.type.enumerate!.global ? regions.slice(0, 1) : regions)
          targets.push({ ...t, account, region });
      }
    }
    if (regions.length === 0) {
      errors.push({
        account: accounts.join(',') || '-',
        region: '-',
        resourceType: '*',
        kind: 'error',
        message: 'no region to sweep: pass --region, set compliance.sweep.regions or AWS_REGION',
      });
    }
    // Listings run side by side (each one's pages in order); detail reads share `calls`.
    const listings = pLimit(Math.max(1, config.compliance.sweep.concurrency));
    // A shard past its deadline starts nothing more: the next invocation takes the rest.
    const pending = new Set<string>();
    const swept = new Set<string>();
    const unit = (name: string, sweep: () => Promise<void>) =>
      listings(async () => {
        // At least one unit per invocation, so that a shard always gets on.
        if (shard?.deadline !== undefined && swept.size > 0 && this.now() > shard.deadline) {
          pending.add(name);
          return;
        }
        swept.add(name);
        await sweep();
      });
    const work: Promise<void>[] = targets.map((t) => unit(t.type.type, () => run.sweepTarget(t)));
    if (aggregator && aggregated && accounts.length > 0) {
      const source: AggregatorSource = {
        ...aggregator,
        accounts: configured.length > 0 ? configured : accounts,
        regions,
      };
      work.push(unit(AGGREGATOR_UNIT, () => run.sweepAggregator(source, viaAggregator)));
    }
    await Promise.all(work);
    run.judgeDeferred();
    await run.settled();
    for (const { reporter, error } of await this.deps.evaluator.flushReporters()) {
      errors.push(sweepErrorOf(error, { account: '-', region: '-', resourceType: reporter }));
    }

    const finished = this.now();
    const summary = run.summary({
      runId,
      startedAt,
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - started,
      accounts,
      regions,
      source: aggregated ? 'aggregator' : 'describe',
      remediate: options.remediate,
      ...(grace.length > 0 ? { grace } : {}),
    });
    const openKeys = run.findings
      .filter((f) => f.status !== 'reverted')
      .map((f) => findingKey(f.policy, f.arn));
    if (this.deps.history && options.record !== false && !shard) {
      try {
        await this.deps.history.putSweep(summary, openKeys);
      } catch (error) {
        summary.errors.push(
          sweepErrorOf(error, { account: '-', region: '-', resourceType: 'history' }),
        );
      }
    }
    return {
      findings: run.findings,
      summary,
      openKeys,
      pending: [...pending].sort(),
      swept: [...swept].sort(),
    };
  }

  /**
   * The accounts to sweep: `compliance.sweep.accounts`, else the credentials' account.
   * Another account is read through the cross-account role the clients assume (as the
   * evaluator does); each is checked with sts:GetCallerIdentity first, so that without a
   * role an account is reported as an error instead of the home account read in its name.
   */
  private async accounts(
    region: string | undefined,
    configured: readonly string[],
    explicit: boolean,
    errors: SweepError[],
  ): Promise<string[]> {
    const scope = { region: region ?? 'us-east-1' };
    const identity = async (account?: string) =>
      (
        await this.deps.clients
          .get(STSClient, { ...scope, ...(account ? { account } : {}) })
          .send(new GetCallerIdentityCommand({}))
      ).Account;
    const caller = await identity();
    if (!caller) throw new Error('sts:GetCallerIdentity returned no account');
    if (configured.length === 0) return explicit ? [] : [caller];
    const reached = await Promise.all(
      configured.map(async (account) => {
        if (account === caller) return account;
        const where = { account, region: scope.region, resourceType: '*' };
        try {
          const actual = await identity(account);
          if (actual === account) return account;
          errors.push({
            ...where,
            kind: 'access',
            message: `account ${account} is configured, but the credentials reach ${actual ?? 'no account'}: set the cross-account role (RAMPART_REMEDIATION_ROLE_NAME and RAMPART_HOME_ACCOUNT), or use compliance.sweep.aggregator`,
          });
        } catch (error) {
          errors.push(sweepErrorOf(error, where));
        }
        return undefined;
      }),
    );
    return reached.filter((a): a is string => a !== undefined);
  }

  /**
   * Violations already known to be open: those the previous sweep left open, and those an
   * event reported open since (notified, awaiting approval, excepted, failed, held back).
   */
  private async knownOpen(
    now: number,
  ): Promise<{ known: Set<string>; previousStartedAt: string | undefined }> {
    const history = this.deps.history;
    if (!history) return { known: new Set(), previousStartedAt: undefined };
    const [previous] = await history.latestSweeps(1);
    const known = previous ? await history.openKeys(previous.runId) : new Set<string>();
    const since = previous?.startedAt ?? new Date(now - 7 * 24 * 3600 * 1000).toISOString();
    foldOutcomes(known, await history.outcomesBetween(since, new Date(now).toISOString()));
    return { known, previousStartedAt: previous?.startedAt };
  }
}

/** Known-open keys updated by the outcomes since: reported open, or reverted (oldest first). */
export function foldOutcomes(
  known: Set<string>,
  outcomes: readonly { policy: string; arn: string; status: string }[],
): Set<string> {
  for (const o of outcomes) {
    const key = findingKey(o.policy, o.arn);
    if (OPEN_OUTCOMES.has(o.status)) known.add(key);
    else if (o.status === 'reverted') known.delete(key);
  }
  return known;
}

type SummaryHead = Pick<
  SweepSummary,
  | 'runId'
  | 'startedAt'
  | 'finishedAt'
  | 'durationMs'
  | 'accounts'
  | 'regions'
  | 'source'
  | 'remediate'
  | 'grace'
>;

/** The state of one sweep while it runs. */
class SweepRun {
  readonly findings: SweepFinding[] = [];
  private readonly counts = new Map<string, PolicyAccountCounts>();
  private readonly acting: Promise<void>[] = [];
  private resources = 0;
  private evaluations = 0;
  /** Failure destination ARN → the resources that send their failures there. */
  private readonly failureSenders = new Map<string, Set<string>>();
  private readonly deferred: { snapshot: Snapshot; policies: readonly AnyPolicy[] }[] = [];
  private sendersListed = false;
  /** `account|region|type` of each sender type listed there without an error. */
  private readonly sendersComplete = new Set<string>();

  constructor(
    private readonly deps: SweeperDeps,
    private readonly options: SweepOptions,
    private readonly calls: LimitFunction,
    private readonly known: ReadonlySet<string>,
    private readonly trigger: TriggerEvent,
    private readonly errors: SweepError[],
    /** When the previous sweep started: drift was not open then. */
    private readonly previousStartedAt?: string,
  ) {}

  async sweepTarget(target: Target): Promise<void> {
    const { type, policies, account, region } = target;
    const progress = this.options.progress;
    try {
      const snapshots = type.enumerate!.list(this.deps.clients, {
        account,
        region,
        limit: this.calls,
        discovered: (n) => progress?.discovered(type.type, n),
      });
      for await (const snapshot of snapshots) this.judge(snapshot, policies);
      if (type.failureDestinations) this.sendersComplete.add(`${account}|${region}|${type.type}`);
    } catch (error) {
      this.errors.push(sweepErrorOf(error, { account, region, resourceType: type.type }));
    }
  }

  async sweepAggregator(source: AggregatorSource, types: Judged[]): Promise<void> {
    const progress = this.options.progress;
    try {
      await listFromAggregator(this.deps.clients, source, types, {
        limit: this.calls,
        discovered: (type, n) => progress?.discovered(type, n),
        // Config's view is the filter; the decision rests on a live read of each candidate.
        candidate: (snapshot, policies) =>
          policies.some((p) => this.deps.evaluator.evaluate(p, snapshot).status !== 'compliant'),
        judge: (snapshot, policies) => this.judge(snapshot, policies),
        compliantInConfig: (snapshot, policies) => this.judge(snapshot, policies),
        failed: (error, where) => this.errors.push(sweepErrorOf(error, where)),
      });
    } catch (error) {
      this.errors.push(
        sweepErrorOf(error, {
          account: source.accounts.join(',') || '(aggregator)',
          region: source.region,
          resourceType: types.map((t) => t.type.type).join(','),
        }),
      );
    }
  }

  /** Pure evaluation of every policy; violations go on to the evaluator's decide/act path. */
  judge(snapshot: Snapshot, policies: readonly AnyPolicy[]): void {
    const type = this.deps.catalog.resourceTypes.get(snapshot.type);
    for (const destination of type?.failureDestinations?.(snapshot) ?? []) {
      const senders = this.failureSenders.get(destination) ?? new Set<string>();
      senders.add(snapshot.ref.arn);
      this.failureSenders.set(destination, senders);
    }
    // A possible destination waits until every sender is listed: its role is known then.
    if (type?.receivesFailures && !this.sendersListed) {
      this.deferred.push({ snapshot, policies });
      return;
    }
    const senders = this.failureSenders.get(snapshot.ref.arn);
    if (senders) {
      snapshot = { ...snapshot, failuresOf: [...senders].sort() };
    } else if (type?.receivesFailures && this.everySenderListed(snapshot.ref)) {
      snapshot = { ...snapshot, failuresOf: [] };
    }
    // Otherwise unknown: a violation is judged again after the evaluator looks the senders up.
    this.judgeNow(snapshot, policies);
  }

  /** Whether every type that can send failures was listed in full where `ref` is. */
  private everySenderListed(ref: { account: string; region: string }): boolean {
    return failureSenderTypes(this.deps.catalog).every((t) =>
      this.sendersComplete.has(`${ref.account}|${ref.region}|${t.type}`),
    );
  }

  /** Once every listing is done: judges the snapshots that waited for their senders. */
  judgeDeferred(): void {
    this.sendersListed = true;
    const waiting = this.deferred.splice(0);
    for (const { snapshot, policies } of waiting) this.judge(snapshot, policies);
  }

  private judgeNow(snapshot: Snapshot, policies: readonly AnyPolicy[]): void {
    this.resources++;
    const { account } = snapshot.ref;
    for (const policy of policies) {
      this.evaluations++;
      const counts = this.countsOf(policy.id, account);
      counts.resources++;
      const evaluation = this.deps.evaluator.evaluate(policy, snapshot);
      if (evaluation.status === 'compliant') {
        counts.compliant++;
        // Open before, compliant now (fixed by hand, or by a change no event reported): its
        // outcome is reported so that findings elsewhere (Security Hub) are closed.
        if (this.known.has(findingKey(policy.id, snapshot.ref.arn))) {
          this.acting.push(this.calls(() => this.reportFixed(policy, snapshot, evaluation)));
        }
        continue;
      }
      if (evaluation.status === 'not-applicable') {
        counts.notApplicable++;
        continue;
      }
      this.acting.push(this.calls(() => this.act(policy, snapshot, evaluation)));
    }
    this.options.progress?.scanned(snapshot.type, 1);
  }

  /**
   * A known violation found fixed: handled as compliant by the evaluator, which audits and
   * reports it (reporters never throw: a failing one is audited).
   */
  private async reportFixed(policy: AnyPolicy, snapshot: Snapshot, evaluation: Evaluation) {
    await this.deps.evaluator.handleSnapshot([policy], snapshot, this.trigger, {
      dryRun: true,
      evaluated: new Map([[policy.id, evaluation]]),
    });
  }

  private async act(policy: AnyPolicy, snapshot: Snapshot, evaluation: Evaluation) {
    const key = findingKey(policy.id, snapshot.ref.arn);
    // Without a history there is nothing to compare with: no drift label.
    const drift =
      this.deps.history !== undefined && evaluation.status === 'violation' && !this.known.has(key);
    const trigger = drift
      ? {
          ...this.trigger,
          eventName: DRIFT_EVENT,
          ...(this.previousStartedAt ? { notOpenAt: this.previousStartedAt } : {}),
        }
      : this.trigger;
    let result: ResourceResult;
    try {
      result = await this.deps.evaluator.handleSnapshot([policy], snapshot, trigger, {
        dryRun: !this.options.remediate,
        // Open at the previous sweep (or reported by an event): no new notice unless it changes.
        reportChangesOnly: this.known.has(key),
        evaluated: new Map([[policy.id, evaluation]]),
      });
    } catch (error) {
      result = {
        resource: snapshot.ref,
        status: 'error',
        error: errorMessage(error),
        evaluations: [evaluation],
        decisions: [],
        outcomes: [],
      };
    }
    // Judged again where the listing left out what the verdict needs (readsTags).
    const judged = result.evaluations[0] ?? evaluation;
    const counts = this.countsOf(policy.id, snapshot.ref.account);
    if (judged.status === 'not-applicable') {
      counts.notApplicable++;
      return;
    }
    const finding = findingOf(policy, snapshot, judged, result);
    if (!finding) {
      counts.compliant++; // fixed meanwhile: the remediator found nothing to do
      return;
    }
    if (drift) {
      counts.drift++;
      finding.message = `${finding.message} ${DRIFT_LABEL}`;
    }
    this.findings.push(finding);
    counts[COUNTER[finding.status]]++;
  }

  settled(): Promise<unknown> {
    return Promise.all(this.acting);
  }

  private countsOf(policy: string, account: string): PolicyAccountCounts {
    const key = `${policy}|${account}`;
    let c = this.counts.get(key);
    if (!c) {
      c = {
        policy,
        account,
        resources: 0,
        compliant: 0,
        notApplicable: 0,
        violations: 0,
        excepted: 0,
        reverted: 0,
        failed: 0,
        drift: 0,
      };
      this.counts.set(key, c);
    }
    return c;
  }

  summary(head: SummaryHead): SweepSummary {
    const rows = [...this.counts.values()].sort(
      (a, b) => a.policy.localeCompare(b.policy) || a.account.localeCompare(b.account),
    );
    const sum = (k: Exclude<keyof PolicyAccountCounts, 'policy' | 'account'>) =>
      rows.reduce((n, r) => n + r[k], 0);
    this.findings.sort(
      (a, b) =>
        a.policy.localeCompare(b.policy) ||
        a.account.localeCompare(b.account) ||
        a.region.localeCompare(b.region) ||
        a.resourceId.localeCompare(b.resourceId),
    );
    return {
      ...head,
      resources: this.resources,
      evaluations: this.evaluations,
      compliant: sum('compliant'),
      notApplicable: sum('notApplicable'),
      violations: sum('violations'),
      excepted: sum('excepted'),
      reverted: sum('reverted'),
      failed: sum('failed'),
      drift: sum('drift'),
      errors: this.errors,
      byPolicyAccount: rows,
    };
  }
}

const COUNTER: Record<FindingStatus, 'violations' | 'excepted' | 'reverted' | 'failed'> = {
  violation: 'violations',
  excepted: 'excepted',
  reverted: 'reverted',
  failed: 'failed',
};

/** The finding of one policy on one resource, or undefined when it turned out compliant. */
export function findingOf(
  policy: AnyPolicy,
  snapshot: Snapshot,
  evaluation: Evaluation,
  result: ResourceResult,
): SweepFinding | undefined {
  const { ref } = snapshot;
  const base = {
    policy: policy.id,
    resourceType: ref.type,
    resourceId: ref.id,
    arn: ref.arn,
    account: ref.account,
    region: ref.region,
  };
  if (evaluation.status === 'error') {
    return { ...base, status: 'failed', message: `policy evaluation failed: ${evaluation.error}` };
  }
  const message = evaluation.status === 'violation' ? evaluation.violation.message : '';
  if (result.status === 'error') {
    return { ...base, status: 'failed', message: `${message} (${result.error})` };
  }
  const outcome = result.outcomes[0];
  const decision = result.decisions[0];
  switch (outcome?.status) {
    case 'already-compliant':
      return undefined;
    case 'reverted':
      return {
        ...base,
        status: 'reverted',
        message: `${message} Reverted: ${outcome.changes.join('; ')}`,
      };
    case 'excepted':
      return {
        ...base,
        status: 'excepted',
        message: `${message} Excepted: ${decision?.reason ?? outcome.exceptionId}`,
      };
    case 'failed':
      return {
        ...base,
        status: 'failed',
        message: `${message} Remediation failed: ${outcome.error ?? 'unknown error'}`,
      };
    default:
      return { ...base, status: 'violation', message };
  }
}

export function sweepErrorOf(
  error: unknown,
  where: { account: string; region: string; resourceType: string },
): SweepError {
  const code = (error as { name?: string } | null)?.name;
  const action = iamActionOf(error);
  const access = isAccessError(error);
  return {
    ...where,
    kind: access ? 'access' : 'error',
    ...(action ? { action } : {}),
    ...(code ? { code } : {}),
    message: access
      ? `access denied${action ? ` to ${action}` : ''} in ${where.account}/${where.region}: ${errorMessage(error)}`
      : `${action ? `${action}: ` : ''}${errorMessage(error)}`,
  };
}
