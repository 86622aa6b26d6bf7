import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import type { AwsClients } from '../aws/clients';
import type { Catalog } from '../engine/catalog';
import type { IamScope } from '../engine/definitions';
import type { ReportContext, Reporter } from '../engine/results';
import { errorMessage } from '../errors';
import { findingStateOf, toAsffFinding, type WorkflowStatus } from './asff';

/** IAM actions the reporter needs (granted on the account's default product and hub). */
export const SECURITY_HUB_REPORTER_ACTIONS = [
  'securityhub:BatchImportFindings',
  'securityhub:BatchUpdateFindings',
] as const;

/**
 * Where those writes are granted: the account's default product (BatchImportFindings) and
 * its hub (BatchUpdateFindings), in any region (an aggregation region is configurable).
 */
export const SECURITY_HUB_SCOPE: IamScope = {
  service: 'securityhub',
  arns: (p, a) => [
    `arn:${p}:securityhub:*:${a}:product/${a}/default`,
    `arn:${p}:securityhub:*:${a}:hub/default`,
  ],
  reason: "Findings of this account's resources, imported into its own default product and hub.",
};

/** Both calls take at most 100 findings. */
export const MAX_FINDINGS_PER_CALL = 100;

/** Security Hub refused some findings, or a whole call; each is named, none is dropped. */
export class SecurityHubReportError extends Error {
  override readonly name = 'SecurityHubReportError';
  constructor(
    message: string,
    readonly failed: readonly { id: string; error: string }[],
  ) {
    super(message);
  }
}

export interface SecurityHubReporterOptions {
  catalog: Catalog;
  /** Import region (an aggregation region); default: each resource's own. */
  region?: string;
  now?: () => number;
}

interface Pending {
  finding: AwsSecurityFinding;
  workflow?: WorkflowStatus;
}

/**
 * Keeps one ASFF finding per (policy, resource) in step with what Rampart did. Each outcome
 * upserts the finding with BatchImportFindings (compliance, record state, description) and
 * sets its workflow with BatchUpdateFindings, the only call that may change a workflow
 * once the finding exists: NEW while open, RESOLVED once reverted, SUPPRESSED under an
 * exception, NEW again when the violation is found without one. An event's finding is
 * sent at once; a sweep's are buffered and sent in calls of 100 at `flush()`. Throttling
 * is retried by the SDK's retry strategy (TooManyRequestsException is a throttling error).
 */
export class SecurityHubReporter implements Reporter {
  readonly name = 'security-hub';
  private readonly buffered = new Map<string, Pending[]>();
  private readonly now: () => number;

  constructor(
    private readonly clients: AwsClients,
    private readonly options: SecurityHubReporterOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async report(context: ReportContext): Promise<void> {
    const state = findingStateOf(context);
    const policy = this.options.catalog.policies.get(context.evaluation.policyId);
    if (!state || !policy) return;
    const finding = toAsffFinding(context, state, {
      policy,
      type: this.options.catalog.resourceTypes.get(context.resource.type),
      ...(this.options.region ? { region: this.options.region } : {}),
      now: new Date(this.now()).toISOString(),
    });
    const pending: Pending = { finding, ...(state.workflow ? { workflow: state.workflow } : {}) };
    if (context.trigger.source !== 'sweep') return this.send(scopeKey(finding), [pending]);
    const key = scopeKey(finding);
    const list = this.buffered.get(key) ?? [];
    list.push(pending);
    this.buffered.set(key, list);
    if (list.length >= MAX_FINDINGS_PER_CALL) {
      this.buffered.delete(key);
      await this.send(key, list);
    }
  }

  /** Sends every buffered finding; throws SecurityHubReportError naming each one not kept. */
  async flush(): Promise<void> {
    const failed: { id: string; error: string }[] = [];
    for (const [key, list] of [...this.buffered]) {
      this.buffered.delete(key);
      try {
        await this.send(key, list);
      } catch (error) {
        if (error instanceof SecurityHubReportError) failed.push(...error.failed);
        else throw error;
      }
    }
    if (failed.length > 0) throw reportError(failed);
  }

  private async send(key: string, pending: Pending[]): Promise<void> {
    const [account, region] = key.split('|') as [string, string];
    const hub = this.clients.get(SecurityHubClient, { account, region });
    const failed: { id: string; error: string }[] = [];
    for (let i = 0; i < pending.length; i += MAX_FINDINGS_PER_CALL) {
      const chunk = pending.slice(i, i + MAX_FINDINGS_PER_CALL);
      let imported: Pending[] = chunk;
      try {
        const out = await hub.send(
          new BatchImportFindingsCommand({ Findings: chunk.map((p) => p.finding) }),
        );
        const refused = new Map((out.FailedFindings ?? []).map((f) => [f.Id, f]));
        for (const [id, f] of refused) {
          failed.push({ id: id ?? '(unknown)', error: `${f.ErrorCode}: ${f.ErrorMessage}` });
        }
        imported = chunk.filter((p) => !refused.has(p.finding.Id));
      } catch (error) {
        for (const p of chunk) failed.push({ id: p.finding.Id!, error: errorMessage(error) });
        continue;
      }
      failed.push(...(await this.updateWorkflows(hub, imported)));
    }
    if (failed.length > 0) throw reportError(failed);
  }

  /** One BatchUpdateFindings per workflow status (the call sets one status for all). */
  private async updateWorkflows(
    hub: SecurityHubClient,
    imported: Pending[],
  ): Promise<{ id: string; error: string }[]> {
    const failed: { id: string; error: string }[] = [];
    const byStatus = new Map<WorkflowStatus, Pending[]>();
    for (const p of imported) {
      if (!p.workflow) continue;
      byStatus.set(p.workflow, [...(byStatus.get(p.workflow) ?? []), p]);
    }
    for (const [status, list] of byStatus) {
      try {
        const out = await hub.send(
          new BatchUpdateFindingsCommand({
            FindingIdentifiers: list.map((p) => ({
              Id: p.finding.Id!,
              ProductArn: p.finding.ProductArn!,
            })),
            Workflow: { Status: status },
          }),
        );
        for (const u of out.UnprocessedFindings ?? []) {
          failed.push({
            id: u.FindingIdentifier?.Id ?? '(unknown)',
            error: `workflow ${status}: ${u.ErrorCode}: ${u.ErrorMessage}`,
          });
        }
      } catch (error) {
        for (const p of list) {
          failed.push({ id: p.finding.Id!, error: `workflow ${status}: ${errorMessage(error)}` });
        }
      }
    }
    return failed;
  }
}

function scopeKey(finding: AwsSecurityFinding): string {
  return `${finding.AwsAccountId}|${finding.Region}`;
}

function reportError(failed: { id: string; error: string }[]): SecurityHubReportError {
  const shown = failed.slice(0, 5).map((f) => `${f.id} (${f.error})`);
  const more = failed.length > 5 ? ` and ${failed.length - 5} more` : '';
  return new SecurityHubReportError(
    `Security Hub did not take ${failed.length} finding(s): ${shown.join('; ')}${more}`,
    failed,
  );
}
