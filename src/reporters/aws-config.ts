import {
  ConfigServiceClient,
  PutEvaluationsCommand,
  type ComplianceType,
  type Evaluation as ConfigEvaluation,
} from '@aws-sdk/client-config-service';
import type { AwsClients } from '../aws/clients';
import { apiRegionOf } from '../domain';
import type { ReportContext, Reporter } from '../engine/evaluator';
import { errorMessage } from '../errors';

/** IAM actions the reporter needs (as data, for the deployment's least-privilege policy). */
export const AWS_CONFIG_REPORTER_ACTIONS = ['config:PutEvaluations'] as const;

/** PutEvaluations accepts at most 100 evaluations per call. */
export const MAX_EVALUATIONS_PER_CALL = 100;
const MAX_ANNOTATION = 256;

/** AWS Config refused some evaluations (FailedEvaluations) or the call itself. */
export class AwsConfigReportError extends Error {
  override readonly name = 'AwsConfigReportError';
  constructor(
    message: string,
    readonly ruleName: string,
    readonly failed: readonly ConfigEvaluation[] = [],
  ) {
    super(message);
  }
}

export interface AwsConfigReporterOptions {
  /** The Config rule a policy's evaluations are published under; default `rampart-<policy id>`. */
  ruleName?: (policyId: string) => string;
  /**
   * PutEvaluations names the rule through the ResultToken of that rule's invocation;
   * this supplies it per rule (any non-empty string in test mode).
   */
  resultToken: (ruleName: string) => string;
  /** Config validates and discards the evaluations (no compliance is recorded). */
  testMode?: boolean;
}

/** What Config should show for one evaluation; undefined when nothing may be claimed. */
export function toConfigEvaluation(context: ReportContext): ConfigEvaluation | undefined {
  const { evaluation, outcome, resource, trigger } = context;
  if (evaluation.status === 'error') return undefined; // an error is neither compliant nor not
  let compliance: ComplianceType;
  let annotation: string;
  if (evaluation.status === 'compliant') {
    compliance = 'COMPLIANT';
    annotation = 'Compliant when evaluated by Rampart.';
  } else if (evaluation.status === 'not-applicable') {
    compliance = 'NOT_APPLICABLE';
    annotation = `Not applicable: ${evaluation.reason}`;
  } else if (outcome?.status === 'reverted' || outcome?.status === 'already-compliant') {
    compliance = 'COMPLIANT';
    annotation = `Reverted by Rampart: ${outcome.changes.join('; ') || 'no change needed'}`;
  } else {
    compliance = 'NON_COMPLIANT';
    annotation = `${evaluation.violation.message}${outcome?.status === 'failed' ? ` Remediation failed: ${outcome.error}` : ''}`;
  }
  return {
    ComplianceResourceType: resource.type,
    ComplianceResourceId: resource.id,
    ComplianceType: compliance,
    Annotation:
      annotation.length > MAX_ANNOTATION
        ? `${annotation.slice(0, MAX_ANNOTATION - 1)}…`
        : annotation,
    OrderingTimestamp: new Date(trigger.eventTime),
  };
}

/**
 * Publishes evaluations to AWS Config, one rule per policy, so compliance shows in the
 * Config console and Security Hub. Evaluations are buffered per account, region and rule
 * and sent in calls of at most 100; call `flush()` once a batch of events is handled.
 */
export class AwsConfigReporter implements Reporter {
  readonly name = 'aws-config';
  private readonly pending = new Map<
    string,
    {
      scope: { account: string; region: string };
      ruleName: string;
      evaluations: ConfigEvaluation[];
    }
  >();
  private readonly ruleName: (policyId: string) => string;

  constructor(
    private readonly clients: AwsClients,
    private readonly options: AwsConfigReporterOptions,
  ) {
    this.ruleName = options.ruleName ?? ((id) => `rampart-${id}`);
  }

  async report(context: ReportContext): Promise<void> {
    const evaluation = toConfigEvaluation(context);
    if (!evaluation) return;
    const ruleName = this.ruleName(context.evaluation.policyId);
    // IAM is global: its evaluations go to the partition's home region.
    const region = apiRegionOf(context.resource);
    const scope = { account: context.resource.account, region };
    const key = `${scope.account}|${scope.region}|${ruleName}`;
    const batch = this.pending.get(key) ?? { scope, ruleName, evaluations: [] };
    batch.evaluations.push(evaluation);
    this.pending.set(key, batch);
    if (batch.evaluations.length >= MAX_EVALUATIONS_PER_CALL) await this.send(key);
  }

  /** Sends everything buffered; throws AwsConfigReportError naming every refused rule. */
  async flush(): Promise<void> {
    const errors: AwsConfigReportError[] = [];
    for (const key of [...this.pending.keys()]) {
      try {
        await this.send(key);
      } catch (error) {
        errors.push(error as AwsConfigReportError);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) {
      throw new AwsConfigReportError(
        errors.map((e) => e.message).join('; '),
        errors.map((e) => e.ruleName).join(', '),
        errors.flatMap((e) => e.failed),
      );
    }
  }

  get pendingCount(): number {
    return [...this.pending.values()].reduce((n, b) => n + b.evaluations.length, 0);
  }

  private async send(key: string): Promise<void> {
    const batch = this.pending.get(key);
    if (!batch) return;
    this.pending.delete(key);
    const config = this.clients.get(ConfigServiceClient, batch.scope);
    // Every chunk is tried; refused evaluations are returned in the error, never dropped silently.
    const refused: ConfigEvaluation[] = [];
    const problems: string[] = [];
    for (let i = 0; i < batch.evaluations.length; i += MAX_EVALUATIONS_PER_CALL) {
      const chunk = batch.evaluations.slice(i, i + MAX_EVALUATIONS_PER_CALL);
      try {
        const out = await config.send(
          new PutEvaluationsCommand({
            Evaluations: chunk,
            ResultToken: this.options.resultToken(batch.ruleName),
            ...(this.options.testMode ? { TestMode: true } : {}),
          }),
        );
        const failed = out.FailedEvaluations ?? [];
        if (failed.length > 0) {
          refused.push(...failed);
          problems.push(
            `refused ${failed.map((f) => `${f.ComplianceResourceType} ${f.ComplianceResourceId}`).join(', ')}`,
          );
        }
      } catch (error) {
        refused.push(...chunk);
        problems.push(`${chunk.length} evaluation(s) not sent: ${errorMessage(error)}`);
      }
    }
    if (problems.length > 0) {
      throw new AwsConfigReportError(
        `PutEvaluations for ${batch.ruleName}: ${problems.join('; ')}`,
        batch.ruleName,
        refused,
      );
    }
  }
}
