import {
  findUnresolved,
  ResourceReference,
  type ResolvedResource,
  type ResolvedTemplate,
  type TemplateSubject,
} from '../../cloudformation/resolved';
import { knownString, physicalName, templateSubject } from '../../cloudformation/subjects';
import {
  LAMBDA_DEFAULTS,
  LAMBDA_FUNCTION,
  lambdaFunctionRef,
  functionNameOf,
  type EventInvokeConfig,
  type LambdaFunctionSnapshot,
} from './index';
import { functionAccessIndex } from './cloudformation-access';

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
 * The template's EventInvokeConfigs indexed once by the function they name (Ref/GetAtt
 * logical id, or a name or ARN), so joining them to functions stays linear in the template.
 */
function invokeConfigIndex(configs: ResolvedResource[]) {
  const byLogicalId = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, at: number) =>
    map.set(key, [...(map.get(key) ?? []), at]);
  // The first config whose target is unknown could be any function's.
  let unknownTarget: number | undefined;
  configs.forEach((c, at) => {
    if (
      unknownTarget === undefined &&
      (findUnresolved(c.properties.FunctionName) || findUnresolved(c.properties.Qualifier))
    ) {
      unknownTarget = at;
    }
    if (!unqualified(c)) return;
    const v = c.properties.FunctionName;
    if (v instanceof ResourceReference) add(byLogicalId, v.logicalId, at);
    else if (typeof v === 'string') add(byName, functionNameOf(v), at);
  });
  return {
    /** This function's unqualified configs, in template order. */
    of(fn: ResolvedResource, name: string): number[] {
      const found = [...(byLogicalId.get(fn.logicalId) ?? []), ...(byName.get(name) ?? [])];
      return [...new Set(found)].sort((x, y) => x - y);
    },
    unknownTarget,
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
  const index = invokeConfigIndex(configs);
  const accessOf = functionAccessIndex(template);
  const subjects: TemplateSubject<LambdaFunctionSnapshot>[] = [];
  for (const fn of template.resources) {
    if (fn.type !== LAMBDA_FUNCTION) continue;
    const name = physicalName(fn, 'FunctionName');
    const mineAt = index.of(fn, name);
    const mine = mineAt.map((at) => configs[at]!);
    // A config whose target or destination cannot be resolved may be this function's: the
    // first one, in template order.
    const unknownDestination = mineAt.find((at) =>
      findUnresolved(configs[at]!.properties.DestinationConfig),
    );
    const doubtfulAt = [index.unknownTarget, unknownDestination]
      .filter((at): at is number => at !== undefined)
      .sort((x, y) => x - y)[0];
    const doubtful = doubtfulAt === undefined ? undefined : configs[doubtfulAt];
    const access = accessOf(fn, name);
    if (access.unknown) {
      subjects.push({
        logicalId: fn.logicalId,
        line: fn.line,
        cfnType: fn.type,
        unknown: access.unknown,
      });
      continue;
    }
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
      templateSubject(
        fn,
        ['DeadLetterConfig', 'Runtime', 'Architectures', 'TracingConfig', 'Timeout', 'MemorySize'],
        () => {
          const ref = lambdaFunctionRef('', '', name);
          const target = knownString(
            (fn.properties.DeadLetterConfig as Record<string, unknown> | undefined)?.TargetArn,
          );
          const role = knownString(fn.properties.Role);
          const runtime = knownString(fn.properties.Runtime);
          const packageType = knownString(fn.properties.PackageType);
          const architectures = Array.isArray(fn.properties.Architectures)
            ? fn.properties.Architectures.filter((a): a is string => typeof a === 'string')
            : [];
          const tracing = knownString(
            (fn.properties.TracingConfig as Record<string, unknown> | undefined)?.Mode,
          );
          const timeout = Number(fn.properties.Timeout);
          const memory = Number(fn.properties.MemorySize);
          return {
            type: LAMBDA_FUNCTION,
            ref,
            functionName: name,
            functionArn: ref.arn,
            ...(role ? { role } : {}),
            ...(target ? { deadLetterTargetArn: target } : {}),
            ...(mine[0] ? { eventInvokeConfig: eventInvokeConfigOf(mine[0]) } : {}),
            ...(runtime ? { runtime } : {}),
            ...(packageType ? { packageType } : {}),
            architectures: architectures.length ? architectures : [LAMBDA_DEFAULTS.architecture],
            tracingMode: tracing ?? LAMBDA_DEFAULTS.tracingMode,
            timeoutSeconds:
              Number.isFinite(timeout) && timeout > 0 ? timeout : LAMBDA_DEFAULTS.timeoutSeconds,
            memorySizeMb:
              Number.isFinite(memory) && memory > 0 ? memory : LAMBDA_DEFAULTS.memorySizeMb,
            ...(access.resourcePolicy ? { resourcePolicy: access.resourcePolicy } : {}),
            ...(access.functionUrlAuthType
              ? { functionUrlAuthType: access.functionUrlAuthType }
              : {}),
          };
        },
      ),
    );
  }
  return subjects;
}
