import {
  findUnresolved,
  ResourceReference,
  type ResolvedResource,
  type ResolvedTemplate,
  type TemplateSubject,
} from '../../cloudformation/resolved';
import { knownString, physicalName, templateSubject } from '../../cloudformation/subjects';
import {
  LAMBDA_FUNCTION,
  lambdaFunctionRef,
  functionNameOf,
  type EventInvokeConfig,
  type LambdaFunctionSnapshot,
} from './index';

/** Does an EventInvokeConfig's FunctionName name this function (Ref, GetAtt, name or ARN)? */
function targets(config: ResolvedResource, fn: ResolvedResource, name: string): boolean {
  const v = config.properties.FunctionName;
  if (v instanceof ResourceReference) return v.logicalId === fn.logicalId;
  return typeof v === 'string' && functionNameOf(v) === name;
}

/** The unqualified function's config is the one on `$LATEST`; a version or alias is another. */
function unqualified(config: ResolvedResource): boolean {
  const q = config.properties.Qualifier;
  return q === undefined || q === '$LATEST';
}

function eventInvokeConfigOf(config: ResolvedResource): EventInvokeConfig {
  const p = config.properties;
  const dest = (p.DestinationConfig ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const onSuccess = knownString(dest.OnSuccess?.Destination);
  const onFailure = knownString(dest.OnFailure?.Destination);
  return {
    ...(typeof p.MaximumRetryAttempts === 'number'
      ? { maximumRetryAttempts: p.MaximumRetryAttempts }
      : {}),
    ...(typeof p.MaximumEventAgeInSeconds === 'number'
      ? { maximumEventAgeInSeconds: p.MaximumEventAgeInSeconds }
      : {}),
    ...(onSuccess ? { onSuccess } : {}),
    ...(onFailure ? { onFailure } : {}),
  };
}

/**
 * `AWS::Lambda::Function` `DeadLetterConfig`, joined with the `AWS::Lambda::EventInvokeConfig`
 * (unqualified / `$LATEST`) of the same template that targets it.
 */
export function lambdaFunctionsFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<LambdaFunctionSnapshot>[] {
  const configs = template.resources.filter((r) => r.type === 'AWS::Lambda::EventInvokeConfig');
  const subjects: TemplateSubject<LambdaFunctionSnapshot>[] = [];
  for (const fn of template.resources) {
    if (fn.type !== LAMBDA_FUNCTION) continue;
    const name = physicalName(fn, 'FunctionName');
    const mine = configs.filter((c) => unqualified(c) && targets(c, fn, name));
    // A config whose target or destination cannot be resolved may be this function's.
    const doubtful = configs.find(
      (c) =>
        findUnresolved(c.properties.FunctionName) ||
        findUnresolved(c.properties.Qualifier) ||
        (mine.includes(c) && findUnresolved(c.properties.DestinationConfig)),
    );
    const dlq = findUnresolved(fn.properties.DeadLetterConfig, 'DeadLetterConfig');
    if (!dlq && doubtful && fn.properties.DeadLetterConfig === undefined) {
      const found =
        findUnresolved(doubtful.properties.FunctionName, 'FunctionName') ??
        findUnresolved(doubtful.properties.Qualifier, 'Qualifier') ??
        findUnresolved(doubtful.properties.DestinationConfig, 'DestinationConfig')!;
      subjects.push({
        logicalId: fn.logicalId,
        line: fn.line,
        cfnType: fn.type,
        unknown: `${doubtful.logicalId}.${found.path}: ${found.reason}`,
      });
      continue;
    }
    subjects.push(
      templateSubject(fn, ['DeadLetterConfig'], () => {
        const ref = lambdaFunctionRef('', '', name);
        const target = knownString(
          (fn.properties.DeadLetterConfig as Record<string, unknown> | undefined)?.TargetArn,
        );
        const role = knownString(fn.properties.Role);
        return {
          type: LAMBDA_FUNCTION,
          ref,
          functionName: name,
          functionArn: ref.arn,
          ...(role ? { role } : {}),
          ...(target ? { deadLetterTargetArn: target } : {}),
          ...(mine[0] ? { eventInvokeConfig: eventInvokeConfigOf(mine[0]) } : {}),
        };
      }),
    );
  }
  return subjects;
}
