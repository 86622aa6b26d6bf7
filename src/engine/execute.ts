import type { AwsClients } from '../aws/clients';
import type { Decision, Outcome, OutcomeTimings, TriggerEvent } from '../domain';
import { errorMessage } from '../errors';
import { approvalIdOf, type ApprovalDeadlines } from '../exceptions/deadline';
import type { Catalog } from './catalog';
import type { Snapshot } from './definitions';
import type { RemediationGuard } from './results';

export interface ExecuteDeps {
  catalog: Catalog;
  clients: AwsClients;
  /** Mode `approve` schedules its deadline here. */
  approvals?: ApprovalDeadlines;
  remediationGuard?: RemediationGuard;
  now: () => number;
}

/**
 * The execute stage: carries out a decision. Only here does the engine write to AWS, and
 * only through a remediator (or the approval scheduler); the remediation guard (the
 * revert-war breaker) may hold a remediation back.
 */
export class Executor {
  constructor(private readonly deps: ExecuteDeps) {}

  async execute(
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
    switch (decision.action) {
      case 'notify':
        return { ...base, status: 'notified', changes: [] };
      case 'excepted':
        return { ...base, status: 'excepted', changes: [], exceptionId: decision.exceptionId };
      case 'await-approval':
        return this.scheduleApproval(decision, snapshot, trigger, base);
      case 'dry-run':
        return {
          ...base,
          status: 'dry-run',
          changes: decision.violation.elements.map(
            (e) => `would remove ${e.id ? `${e.id} ` : ''}(${e.description})`,
          ),
        };
      case 'remediate': {
        const remediate = () => this.remediate(decision, snapshot, trigger, receivedAt, base);
        const guard = this.deps.remediationGuard;
        return guard
          ? guard.run({ trigger, decision, resource: snapshot.ref, timings }, remediate)
          : remediate();
      }
    }
  }

  private async scheduleApproval(
    decision: Decision,
    snapshot: Snapshot,
    trigger: TriggerEvent,
    base: Pick<Outcome, 'policyId' | 'remediatorId' | 'timings'>,
  ): Promise<Outcome> {
    try {
      const approvalDeadline = await this.deps.approvals!.schedule({
        approvalId: approvalIdOf(trigger.eventId, decision.policyId, snapshot.ref.arn),
        policyId: decision.policyId,
        resource: snapshot.ref,
        trigger,
        now: this.deps.now(),
      });
      return { ...base, status: 'awaiting-approval', changes: [], approvalDeadline };
    } catch (error) {
      return { ...base, status: 'failed', changes: [], error: errorMessage(error) };
    }
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
      const verifiedAt = this.deps.now();
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
