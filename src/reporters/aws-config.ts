import {
  ConfigServiceClient,
  PutEvaluationsCommand,
  type ComplianceType,
  type Evaluation as ConfigEvaluation,
} from '@aws-sdk/client-config-service';
import type { AwsClients } from '../aws/clients';
import type { Evaluation } from '../domain';
import { errorMessage } from '../errors';

/** PutEvaluations accepts at most 100 evaluations per call. */
export const MAX_EVALUATIONS_PER_CALL = 100;
/** Config's limit on `Annotation`. */
export const MAX_ANNOTATION = 256;

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

/** The resource as AWS Config names it: its Config type and Config's own resource id. */
export interface ConfigResourceKey {
  resourceType: string;
  resourceId: string;
}

const clip = (text: string) =>
  text.length > MAX_ANNOTATION ? `${text.slice(0, MAX_ANNOTATION - 1)}…` : text;

/**
 * What Config should show for one verdict; undefined for an error, which is neither
 * compliant nor not (the invocation fails instead, and Config invokes the rule again).
 * The key is Config's (type and id from the item), never Rampart's own type name or id:
 * Config's ids differ for IAM (the role id) and RDS (the DbiResourceId).
 */
export function toConfigEvaluation(
  evaluation: Evaluation,
  key: ConfigResourceKey,
  orderingTime: string,
): ConfigEvaluation | undefined {
  let compliance: ComplianceType;
  let annotation: string;
  switch (evaluation.status) {
    case 'error':
      return undefined;
    case 'compliant':
      compliance = 'COMPLIANT';
      annotation = 'Compliant when evaluated by Rampart.';
      break;
    case 'not-applicable':
      compliance = 'NOT_APPLICABLE';
      annotation = `Not applicable: ${evaluation.reason}`;
      break;
    case 'violation':
      compliance = 'NON_COMPLIANT';
      annotation = evaluation.violation.message;
      break;
  }
  return configEvaluation(compliance, key, annotation, orderingTime);
}

/** One evaluation with the annotation clipped to Config's limit. */
export function configEvaluation(
  compliance: ComplianceType,
  key: ConfigResourceKey,
  annotation: string,
  orderingTime: string,
): ConfigEvaluation {
  return {
    ComplianceResourceType: key.resourceType,
    ComplianceResourceId: key.resourceId,
    ComplianceType: compliance,
    Annotation: clip(annotation),
    OrderingTimestamp: new Date(orderingTime),
  };
}

export interface PutEvaluationsRequest {
  ruleName: string;
  /** The rule's account and region: its ResultToken is only good there. */
  scope: { account: string; region: string };
  resultToken: string;
  testMode: boolean;
  evaluations: readonly ConfigEvaluation[];
}

/**
 * Puts a rule invocation's evaluations, at most 100 per call, every chunk tried; refused
 * evaluations (FailedEvaluations, or a failed call) are named in AwsConfigReportError,
 * never dropped silently.
 */
export async function putEvaluations(
  clients: AwsClients,
  request: PutEvaluationsRequest,
): Promise<{ calls: number }> {
  const config = clients.get(ConfigServiceClient, request.scope);
  const refused: ConfigEvaluation[] = [];
  const problems: string[] = [];
  let calls = 0;
  for (let i = 0; i < request.evaluations.length; i += MAX_EVALUATIONS_PER_CALL) {
    const chunk = request.evaluations.slice(i, i + MAX_EVALUATIONS_PER_CALL);
    calls += 1;
    try {
      const out = await config.send(
        new PutEvaluationsCommand({
          Evaluations: chunk,
          ResultToken: request.resultToken,
          ...(request.testMode ? { TestMode: true } : {}),
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
      `PutEvaluations for ${request.ruleName}: ${problems.join('; ')}`,
      request.ruleName,
      refused,
    );
  }
  return { calls };
}
