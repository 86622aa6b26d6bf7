import {
  findUnresolved,
  ResourceReference,
  type ResolvedTemplate,
  type TemplateSubject,
} from '../../cloudformation/resolved';
import { knownString, templateSubject, TEMPLATE_SCOPE } from '../../cloudformation/subjects';
import { numberOr } from '../shared';
import { eventSourceRef, type LambdaEventSourceSnapshot } from './index';
import { LAMBDA_EVENT_SOURCE } from './snapshot';

/** Lambda's and SQS's defaults where a template does not say. */
const DEFAULT_FUNCTION_TIMEOUT = 3;
const DEFAULT_VISIBILITY_TIMEOUT = 30;

/**
 * `AWS::Lambda::EventSourceMapping` joined to the function and the queue of the same
 * template it names (Ref/GetAtt); an end defined elsewhere is not judged (its timeout is
 * unknown before deploy).
 */
export function lambdaEventSourcesFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<LambdaEventSourceSnapshot>[] {
  const inTemplate = (v: unknown, type: string) =>
    v instanceof ResourceReference && template.byLogicalId.get(v.logicalId)?.type === type
      ? template.byLogicalId.get(v.logicalId)
      : undefined;
  return template.resources
    .filter((r) => r.type === LAMBDA_EVENT_SOURCE)
    .map((r) => {
      // A timeout known only at deploy time decides the verdict: unknown.
      const ends = [
        [inTemplate(r.properties.FunctionName, 'AWS::Lambda::Function'), 'Timeout'],
        [inTemplate(r.properties.EventSourceArn, 'AWS::SQS::Queue'), 'VisibilityTimeout'],
      ] as const;
      for (const [end, key] of ends) {
        const u = end && findUnresolved(end.properties[key], `${end.logicalId}.${key}`);
        if (u)
          return {
            logicalId: r.logicalId,
            line: r.line,
            cfnType: r.type,
            unknown: `${u.path}: ${u.reason}`,
          };
      }
      return templateSubject(
        r,
        ['FunctionName', 'EventSourceArn', 'MaximumBatchingWindowInSeconds'],
        () => {
          const fn = inTemplate(r.properties.FunctionName, 'AWS::Lambda::Function');
          const queue = inTemplate(r.properties.EventSourceArn, 'AWS::SQS::Queue');
          const timeout = numberOr(fn?.properties.Timeout, DEFAULT_FUNCTION_TIMEOUT);
          const visibility = numberOr(
            queue?.properties.VisibilityTimeout,
            DEFAULT_VISIBILITY_TIMEOUT,
          );
          return {
            type: LAMBDA_EVENT_SOURCE,
            ref: eventSourceRef(TEMPLATE_SCOPE.account, TEMPLATE_SCOPE.region, r.logicalId),
            uuid: r.logicalId,
            functionArn: fn
              ? `arn:aws:lambda:::function:${fn.logicalId}`
              : (knownString(r.properties.FunctionName) ?? ''),
            // A queue of this template is SQS by type; any other source keeps its ARN.
            eventSourceArn: queue
              ? `arn:aws:sqs:::${queue.logicalId}`
              : (knownString(r.properties.EventSourceArn) ?? ''),
            batchingWindowSeconds: numberOr(r.properties.MaximumBatchingWindowInSeconds, 0),
            ...(fn ? { functionTimeoutSeconds: timeout } : {}),
            ...(queue ? { queueVisibilityTimeoutSeconds: visibility } : {}),
          };
        },
      );
    });
}
