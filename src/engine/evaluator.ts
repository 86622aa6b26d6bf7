import type { AuditLog } from '../audit';
import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import type {
  Decision,
  Evaluation,
  Mode,
  Outcome,
  OutcomeStatus,
  OutcomeTimings,
  ResourceLocator,
  ResourceRef,
  TriggerEvent,
} from '../domain';
import { errorMessage } from '../errors';
import {
  ACCOUNT_ID_EXPECTED,
  AWS_REGION_EXPECTED,
  isAccountId,
  isAwsRegion,
} from '../domain/identifiers';
import {
  accountOf,
  isReadOnly,
  parseEvent,
  triggerEventOf,
  type CloudTrailRecord,
  type EventEnvelope,
} from '../events/cloudtrail';
import type { ConfigItemChange } from '../events/config-item';
import { MalformedEventError } from '../events/errors';
import {
  approvalDeadlineOf,
  approvalIdOf,
  type ApprovalDeadline,
  type ApprovalDeadlines,
} from '../exceptions/deadline';
import type { ExceptionLookup } from '../exceptions/store';
import type { Catalog } from './catalog';
import { CONFIG_EVENT_NAME, routeConfigItemChange } from './config-input';
import { isOwnChange } from './own-change';
import type { AnyPolicy, AnyResourceType, Snapshot } from './definitions';

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
  // AWS Config input (see config-input.ts)
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

/** Outcomes that change or fail to change something: reported even for a known violation. */
const CHANGE_OUTCOMES: ReadonlySet<OutcomeStatus> = new Set(['reverted', 'failed', 'escalated']);

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

export interface EvaluatorDeps {
  catalog: Catalog;
  config: RampartConfig;
  clients: AwsClients;
  audit: AuditLog;
  reporters?: readonly Reporter[];
  /** Active exceptions (granted in Slack): a covered violation is `excepted`. */
  exceptions?: ExceptionLookup;
  /** Mode `approve` schedules its deadline here; without it, `approve` reverts at once. */
  approvals?: ApprovalDeadlines;
  remediationGuard?: RemediationGuard;
  /** Injected for tests; defaults to Date.now. */
  now?: () => number;
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

/**
 * Only AWS can emit `aws.*` sources; an envelope with any other source was put on a bus by
 * someone (PutEvents) or handed to the function directly, and is never acted on or reported.
 */
function untrustedSourceReason(
  parsed: ReturnType<typeof parseEvent>,
  options: HandleOptions,
): string | undefined {
  if (parsed.kind === 'other') return undefined; // approval deadlines: checked on their own path
  if (!parsed.envelope) {
    return options.trustBareRecords
      ? undefined
      : 'a bare CloudTrail record has no EventBridge envelope whose source AWS vouches for';
  }
  const source = parsed.envelope.source;
  const expected = parsed.kind === 'config' ? 'aws.config' : 'aws.';
  const trusted = parsed.kind === 'config' ? source === expected : source?.startsWith(expected);
  return trusted
    ? undefined
    : `source ${JSON.stringify(source ?? null)} is not ${parsed.kind === 'config' ? '"aws.config"' : 'an AWS service source ("aws.*")'}: the event was not emitted by AWS`;
}

/** Whether the snapshot carries its tags (undefined: its input did not read them). */
function hasTags(snapshot: Snapshot): boolean {
  return (snapshot as { tags?: unknown }).tags !== undefined;
}

/**
 * The evaluator: event → locate → read current state → pure policies → decision →
 * remediator → audit. The event is only a trigger; decisions rest on what is read now.
 */
export class Evaluator {
  private readonly now: () => number;

  constructor(private readonly deps: EvaluatorDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Throws MalformedEventError for input that is not an event; every other case returns. */
  async handleEvent(input: unknown, options: HandleOptions = {}): Promise<EventResult> {
    const receivedAt = this.now();
    const parsed = parseEvent(input);
    const untrusted = untrustedSourceReason(parsed, options);
    if (untrusted) {
      const record = parsed.kind === 'cloudtrail' ? parsed.record : undefined;
      return this.skip(
        parsed.envelope?.id ?? record?.eventID,
        record?.eventName,
        'untrusted-source',
        untrusted,
      );
    }
    if (parsed.kind === 'other') {
      const deadline = approvalDeadlineOf(
        parsed.envelope.detailType,
        parsed.detail,
        parsed.envelope.id,
      );
      if (deadline) return this.handleApprovalOver(deadline, receivedAt, options);
      return this.skip(
        parsed.envelope.id,
        undefined,
        'unsupported-detail-type',
        `detail-type ${JSON.stringify(parsed.envelope.detailType)} is not handled`,
      );
    }
    if (parsed.kind === 'config') {
      return this.handleConfigItemChange(parsed.envelope, parsed.change, receivedAt, options);
    }
    const { record, envelope } = parsed;
    const skip = this.classify(record);
    if (skip) return this.skip(record.eventID, record.eventName, skip.code, skip.reason);

    const trigger = triggerEventOf(record);
    if (isOwnChange(trigger.actor, accountOf(record, envelope), this.deps.config.ownRole)) {
      return this.skip(
        record.eventID,
        record.eventName,
        'own-change',
        `caused by Rampart's own role (${trigger.actor!.sessionIssuerArn ?? trigger.actor!.arn})`,
      );
    }

    const resources: ResourceResult[] = [];
    for (const { type, policies } of this.routes(record)) {
      for (const locator of this.locate(type, record, envelope)) {
        resources.push(
          await this.handleResource(type, policies, locator, trigger, receivedAt, options),
        );
      }
    }
    return {
      status: 'handled',
      eventId: record.eventID,
      eventName: record.eventName,
      trigger,
      resources,
    };
  }

  /** An approval deadline fired (or "Revert now"): re-judge that one policy on that resource now. */
  private async handleApprovalOver(
    deadline: ApprovalDeadline,
    receivedAt: number,
    options: HandleOptions,
  ): Promise<EventResult> {
    const { trigger: original, resource, policyId } = deadline;
    const type = this.deps.catalog.resourceTypes.get(resource.type);
    const policy = this.deps.catalog.policies.get(policyId);
    if (!type || !policy || !this.deps.config.policies[policyId]?.enabled) {
      return this.skip(
        original.eventId,
        original.eventName,
        'policy-gone',
        `approval ${deadline.approvalId}: policy ${policyId} is no longer enabled for ${resource.type}`,
      );
    }
    const trigger: TriggerEvent = { ...original, source: 'approval' };
    const locator: ResourceLocator = {
      type: type.type,
      account: resource.account,
      region: resource.region,
      id: resource.id,
    };
    const result = await this.handleResource(type, [policy], locator, trigger, receivedAt, {
      ...options,
      approvalOver: deadline.reason,
    });
    return {
      status: 'handled',
      eventId: trigger.eventId,
      eventName: trigger.eventName,
      trigger,
      resources: [result],
    };
  }

  /** AWS Config input: the configuration item is the current state, no describe call. */
  private async handleConfigItemChange(
    envelope: EventEnvelope,
    change: ConfigItemChange,
    receivedAt: number,
    options: HandleOptions,
  ): Promise<EventResult> {
    const route = routeConfigItemChange(this.deps, envelope, change);
    if (route.status === 'skip') {
      return this.skip(route.eventId, CONFIG_EVENT_NAME, route.code, route.reason);
    }
    const { type, policies, locator, trigger } = route;
    const resource = await this.handleResource(
      type,
      policies,
      locator,
      trigger,
      receivedAt,
      options,
    );
    return {
      status: 'handled',
      eventId: trigger.eventId,
      eventName: CONFIG_EVENT_NAME,
      trigger,
      resources: [resource],
    };
  }

  private skip(
    eventId: string | undefined,
    eventName: string | undefined,
    code: SkipCode,
    reason: string,
  ): EventResult {
    this.deps.audit.skipped({ eventId, eventName }, code, reason);
    return { status: 'skipped', eventId, eventName, code, reason };
  }

  private classify(record: CloudTrailRecord): { code: SkipCode; reason: string } | undefined {
    const name = `${record.eventSource.split('.')[0]}:${record.eventName}`;
    if (record.errorCode) {
      return {
        code: 'failed-call',
        reason: `${name} failed (${record.errorCode}): nothing changed`,
      };
    }
    if (isReadOnly(record)) return { code: 'read-only', reason: `${name} is read-only` };
    const types = this.deps.catalog.typesForSource(record.eventSource);
    if (types.length === 0) {
      return { code: 'unwatched-service', reason: `no policy watches ${record.eventSource}` };
    }
    const ignored = types.map((t) => t.ignoredEvents?.[record.eventName]).find(Boolean);
    if (ignored) return { code: 'ignored-event', reason: `${name} ${ignored}` };
    if (this.routes(record).length === 0) {
      return { code: 'no-trigger', reason: `no enabled policy is triggered by ${name}` };
    }
    return undefined;
  }

  /** Resource types that can locate this event, with the enabled policies it triggers. */
  private routes(record: CloudTrailRecord): { type: AnyResourceType; policies: AnyPolicy[] }[] {
    return this.deps.catalog
      .typesForSource(record.eventSource)
      .filter((type) => type.cloudTrail[record.eventName])
      .map((type) => ({
        type,
        policies: this.deps.catalog
          .policiesTriggeredBy(type.type, record.eventName)
          .filter((p) => this.deps.config.policies[p.id]?.enabled),
      }))
      .filter((route) => route.policies.length > 0);
  }

  private locate(
    type: AnyResourceType,
    record: CloudTrailRecord,
    envelope?: EventEnvelope,
  ): ResourceLocator[] {
    const account = accountOf(record, envelope);
    if (!account) {
      throw new MalformedEventError(
        'detail.recipientAccountId',
        'is missing (and so are account and userIdentity.accountId)',
        record.eventID,
      );
    }
    // Checked here, where they become an SDK client's scope: a bad one must be refused, not
    // retried as an endpoint error. (Skipped events never get this far, so odd values in
    // records no policy reads cost nothing.)
    if (!isAccountId(account)) {
      throw new MalformedEventError(
        'detail.recipientAccountId',
        `${JSON.stringify(account.slice(0, 64))}: ${ACCOUNT_ID_EXPECTED}`,
        record.eventID,
      );
    }
    if (!isAwsRegion(record.awsRegion)) {
      throw new MalformedEventError(
        'detail.awsRegion',
        `${JSON.stringify(record.awsRegion.slice(0, 64))}: ${AWS_REGION_EXPECTED}`,
        record.eventID,
      );
    }
    return type.cloudTrail[record.eventName]!(record, { account, region: record.awsRegion });
  }

  private async handleResource(
    type: AnyResourceType,
    policies: AnyPolicy[],
    locator: ResourceLocator,
    trigger: TriggerEvent,
    receivedAt: number,
    options: HandleOptions,
  ): Promise<ResourceResult> {
    const result: ResourceResult = {
      resource: locator,
      status: 'evaluated',
      evaluations: [],
      decisions: [],
      outcomes: [],
    };
    let snapshot: Snapshot | undefined;
    try {
      snapshot = await type.collect(this.deps.clients, locator);
    } catch (error) {
      return {
        ...result,
        status: 'error',
        error: `cannot read ${type.type} ${locator.id ?? locator.name}: ${errorMessage(error)}`,
      };
    }
    if (!snapshot) {
      this.deps.audit.notFound(trigger, locator);
      return { ...result, status: 'not-found' };
    }
    return this.handleSnapshot(policies, snapshot, trigger, options, receivedAt);
  }

  /**
   * Judges a snapshot read elsewhere (the periodic sweep) exactly as an event's: pure
   * policies → exception lookup → decision → remediation → audit → reporters.
   */
  async handleSnapshot(
    policies: readonly AnyPolicy[],
    snapshot: Snapshot,
    trigger: TriggerEvent,
    options: HandleOptions = {},
    receivedAt: number = this.now(),
  ): Promise<ResourceResult> {
    const result: ResourceResult = {
      resource: snapshot.ref,
      status: 'evaluated',
      evaluations: [],
      decisions: [],
      outcomes: [],
    };
    // Reporters (Slack, SNS, history) never hold up the next policy's decision; report()
    // never throws (a failing reporter is audited), and all are awaited before returning.
    const reports: Promise<void>[] = [];
    for (const policy of policies) {
      let evaluation = options.evaluated?.get(policy.id) ?? this.evaluate(policy, snapshot);
      if (
        evaluation.status === 'violation' &&
        policy.readsTags !== undefined &&
        !hasTags(snapshot)
      ) {
        // Listed without its tags: judged again with them before anything is decided.
        try {
          snapshot = await this.withTags(snapshot);
          evaluation = this.evaluate(policy, snapshot);
        } catch (error) {
          evaluation = {
            policyId: policy.id,
            resource: snapshot.ref,
            status: 'error',
            error: `cannot read the tags the verdict depends on: ${errorMessage(error)}`,
          };
        }
      }
      result.evaluations.push(evaluation);
      if (evaluation.status === 'error') {
        this.deps.audit.evaluationError(trigger, snapshot.ref, policy.id, evaluation.error);
        reports.push(this.report({ trigger, resource: snapshot.ref, evaluation }));
        continue;
      }
      if (evaluation.status === 'not-applicable') {
        // Nothing to decide or change; AWS Config can still show NOT_APPLICABLE.
        reports.push(this.report({ trigger, resource: snapshot.ref, evaluation }));
        continue;
      }
      if (evaluation.status === 'compliant') {
        const outcome: Outcome = {
          policyId: policy.id,
          status: 'already-compliant',
          changes: [],
          timings: { eventTime: trigger.eventTime, receivedAt: new Date(receivedAt).toISOString() },
        };
        result.outcomes.push(outcome);
        this.deps.audit.outcome(trigger, snapshot.ref, outcome);
        reports.push(this.report({ trigger, resource: snapshot.ref, evaluation, outcome }));
        continue;
      }
      let decision: Decision;
      try {
        const exception = this.deps.exceptions
          ? await this.deps.exceptions.find(
              evaluation.violation,
              await this.withTags(snapshot),
              this.now(),
            )
          : undefined;
        decision = exception
          ? {
              ...this.decide(policy, evaluation.violation, options),
              action: 'excepted',
              exceptionId: exception.id,
              reason: `exception ${exception.id} approved by ${exception.approver} until ${exception.expiresAt}`,
            }
          : this.decide(policy, evaluation.violation, options);
      } catch (error) {
        // Unknown exceptions: neither revert (one may exist) nor pass silently; retry.
        const outcome: Outcome = {
          policyId: policy.id,
          status: 'failed',
          changes: [],
          error: `cannot read exceptions: ${errorMessage(error)}`,
          timings: { eventTime: trigger.eventTime, receivedAt: new Date(receivedAt).toISOString() },
        };
        result.outcomes.push(outcome);
        this.deps.audit.outcome(trigger, snapshot.ref, outcome);
        reports.push(this.report({ trigger, resource: snapshot.ref, evaluation, outcome }));
        continue;
      }
      result.decisions.push(decision);
      this.deps.audit.decision(trigger, decision);
      const outcome = await this.execute(decision, snapshot, trigger, receivedAt);
      result.outcomes.push(outcome);
      this.deps.audit.outcome(trigger, snapshot.ref, outcome);
      if (options.reportChangesOnly && !CHANGE_OUTCOMES.has(outcome.status)) continue;
      reports.push(this.report({ trigger, resource: snapshot.ref, evaluation, decision, outcome }));
    }
    await Promise.all(reports);
    return result;
  }

  /**
   * The snapshot with its tags, read now if its input left them out (tag-scoped exceptions,
   * policies that `readsTags`).
   */
  private async withTags(snapshot: Snapshot): Promise<Snapshot> {
    const type = this.deps.catalog.resourceTypes.get(snapshot.type);
    if (!type?.readTags || hasTags(snapshot)) return snapshot;
    return { ...snapshot, tags: await type.readTags(this.deps.clients, snapshot) } as Snapshot;
  }

  private async report(context: ReportContext): Promise<void> {
    const reporters = this.deps.reporters ?? [];
    if (reporters.length === 0) return;
    const results = await Promise.allSettled(reporters.map((r) => r.report(context)));
    results.forEach((r, i) => {
      if (r.status === 'rejected') {
        this.deps.audit.reportFailed(
          context.trigger,
          context.resource,
          reporters[i]!.name,
          errorMessage(r.reason),
        );
      }
    });
  }

  /** Flushes every buffering reporter; the failures, by reporter (nothing is dropped silently). */
  async flushReporters(): Promise<{ reporter: string; error: unknown }[]> {
    const reporters = (this.deps.reporters ?? []).filter((r) => r.flush);
    const results = await Promise.allSettled(reporters.map((r) => r.flush!()));
    return results.flatMap((r, i) =>
      r.status === 'rejected' ? [{ reporter: reporters[i]!.name, error: r.reason }] : [],
    );
  }

  /** Policies are pure, but a bug or odd input can still throw: that is an `error`, never compliant. */
  evaluate(policy: AnyPolicy, snapshot: Snapshot): Evaluation {
    const resource = snapshot.ref;
    try {
      const verdict = policy.evaluate(snapshot, this.deps.config.policies[policy.id]!.parameters);
      if (verdict.compliant === true) return { policyId: policy.id, resource, status: 'compliant' };
      if (verdict.compliant === null) {
        return {
          policyId: policy.id,
          resource,
          status: 'not-applicable',
          reason: verdict.notApplicable,
        };
      }
      return {
        policyId: policy.id,
        resource,
        status: 'violation',
        violation: { policyId: policy.id, resource, ...verdict.finding },
      };
    } catch (error) {
      return { policyId: policy.id, resource, status: 'error', error: errorMessage(error) };
    }
  }

  private decide(
    policy: AnyPolicy,
    violation: Decision['violation'],
    options: HandleOptions,
  ): Decision {
    const mode: Mode = options.dryRun ? 'dry-run' : this.deps.config.policies[policy.id]!.mode;
    const base = { policyId: policy.id, mode, violation, remediatorId: policy.remediatorId };
    if (mode === 'dry-run')
      return { ...base, action: 'dry-run', reason: 'dry-run: nothing is written' };
    if (mode === 'notify') return { ...base, action: 'notify', reason: 'policy mode is notify' };
    if (violation.reportOnly) {
      return {
        ...base,
        action: 'notify',
        reason: `reported, not reverted: ${violation.reportOnly}`,
      };
    }
    if (!policy.remediatorId) {
      return {
        ...base,
        action: 'notify',
        reason: 'no in-place remediation exists for this policy',
      };
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
      if (!this.deps.approvals)
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

  private async execute(
    decision: Decision,
    snapshot: Snapshot,
    trigger: TriggerEvent,
    receivedAt: number,
  ): Promise<Outcome> {
    const timings: OutcomeTimings = {
      eventTime: trigger.eventTime,
      receivedAt: new Date(receivedAt).toISOString(),
    };
    const base = { policyId: decision.policyId, remediatorId: decision.remediatorId, timings };
    if (decision.action === 'notify') {
      return { ...base, status: 'notified', changes: [] };
    }
    if (decision.action === 'excepted') {
      return { ...base, status: 'excepted', changes: [], exceptionId: decision.exceptionId };
    }
    if (decision.action === 'await-approval') {
      try {
        const approvalDeadline = await this.deps.approvals!.schedule({
          approvalId: approvalIdOf(trigger.eventId, decision.policyId, snapshot.ref.arn),
          policyId: decision.policyId,
          resource: snapshot.ref,
          trigger,
          now: this.now(),
        });
        return { ...base, status: 'awaiting-approval', changes: [], approvalDeadline };
      } catch (error) {
        return { ...base, status: 'failed', changes: [], error: errorMessage(error) };
      }
    }
    if (decision.action === 'dry-run') {
      return {
        ...base,
        status: 'dry-run',
        changes: decision.violation.elements.map(
          (e) => `would remove ${e.id ? `${e.id} ` : ''}(${e.description})`,
        ),
      };
    }
    const remediate = () => this.remediate(decision, snapshot, trigger, receivedAt, base);
    const guard = this.deps.remediationGuard;
    return guard
      ? guard.run({ trigger, decision, resource: snapshot.ref, timings }, remediate)
      : remediate();
  }

  private async remediate(
    decision: Decision,
    snapshot: Snapshot,
    trigger: TriggerEvent,
    receivedAt: number,
    base: Pick<Outcome, 'policyId' | 'remediatorId' | 'timings'>,
  ): Promise<Outcome> {
    const timings = base.timings;
    const remediator = this.deps.catalog.remediators.get(decision.remediatorId!)!;
    let outcome: Outcome;
    try {
      const result = await remediator.remediate({
        clients: this.deps.clients,
        snapshot,
        violation: decision.violation,
      });
      outcome = {
        ...base,
        status: result.status,
        changes: result.changes,
        before: result.before,
        after: result.after,
        ...(result.error ? { error: result.error } : {}),
      };
    } catch (error) {
      outcome = { ...base, status: 'failed', changes: [], error: errorMessage(error) };
    }
    if (outcome.status === 'reverted') {
      const verifiedAt = this.now();
      timings.verifiedAt = new Date(verifiedAt).toISOString();
      // A sweep's eventTime is its own start, not the change's: no time-to-revert from it.
      if (trigger.source !== 'sweep') {
        timings.timeToRevertMs = verifiedAt - Date.parse(trigger.eventTime);
      } else if (trigger.notOpenAt) {
        timings.openAtMostMs = verifiedAt - Date.parse(trigger.notOpenAt);
      }
      timings.handlingMs = verifiedAt - receivedAt;
    }
    return outcome;
  }
}
