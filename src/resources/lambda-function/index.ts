import {
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  LambdaClient,
  type FunctionConfiguration,
  type FunctionEventInvokeConfig,
} from '@aws-sdk/client-lambda';
import type { AwsClients } from '../../aws/clients';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { isAwsError, nameFromArnOrName, refOf, requiredString } from '../shared';
import { FUNCTION_ACCESS_READS, readFunctionAccess, type FunctionAccess } from './access';
import { lambdaFunctionsFromTemplate } from './cloudformation';
import { lambdaFunctionEnumerator } from './enumerate';
import {
  EventInvokeConfig,
  LAMBDA_DEFAULTS,
  LAMBDA_FUNCTION,
  LambdaFunctionSnapshot,
} from './snapshot';

export * from './snapshot';

export function lambdaFunctionRef(account: string, region: string, name: string): ResourceRef {
  return refOf(
    LAMBDA_FUNCTION,
    account,
    region,
    name,
    (p) => `arn:${p}:lambda:${region}:${account}:function:${name}`,
  );
}

/** `functionName` may be a name, a full ARN or a partial ARN, possibly with a qualifier. */
export function functionNameOf(raw: string): string {
  return nameFromArnOrName(raw, ':function:').split(':')[0]!;
}

const byFunctionName: CloudTrailLocator = (record, where) => [
  {
    type: LAMBDA_FUNCTION,
    ...where,
    id: functionNameOf(requiredString(record, ['request.functionName', 'response.functionName'])),
  },
];

export function eventInvokeConfigOf(out: FunctionEventInvokeConfig): EventInvokeConfig {
  return {
    ...(out.MaximumRetryAttempts !== undefined
      ? { maximumRetryAttempts: out.MaximumRetryAttempts }
      : {}),
    ...(out.MaximumEventAgeInSeconds !== undefined
      ? { maximumEventAgeInSeconds: out.MaximumEventAgeInSeconds }
      : {}),
    ...(out.DestinationConfig?.OnSuccess?.Destination
      ? { onSuccess: out.DestinationConfig.OnSuccess.Destination }
      : {}),
    ...(out.DestinationConfig?.OnFailure?.Destination
      ? { onFailure: out.DestinationConfig.OnFailure.Destination }
      : {}),
  };
}

export async function readEventInvokeConfig(
  clients: AwsClients,
  scope: { account: string; region: string },
  functionName: string,
): Promise<EventInvokeConfig | undefined> {
  try {
    const out = await clients
      .get(LambdaClient, scope)
      .send(new GetFunctionEventInvokeConfigCommand({ FunctionName: functionName }));
    return eventInvokeConfigOf(out);
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

/**
 * One function with its event invoke config and, unless `access: false` (a caller that only
 * needs its failure destinations), who may invoke it: its resource policy and URL.
 */
export async function readFunction(
  clients: AwsClients,
  scope: { account: string; region: string },
  functionName: string,
  options: { access?: boolean } = {},
): Promise<LambdaFunctionSnapshot | undefined> {
  let fn;
  try {
    fn = await clients
      .get(LambdaClient, scope)
      .send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
  const name = fn.FunctionName ?? functionName;
  const [eventInvokeConfig, access] = await Promise.all([
    readEventInvokeConfig(clients, scope, name),
    options.access === false ? {} : readFunctionAccess(clients, scope, name),
  ]);
  return functionSnapshot(scope, { ...fn, FunctionName: name }, eventInvokeConfig, access);
}

/** The snapshot of a function as GetFunctionConfiguration or ListFunctions describes it. */
export function functionSnapshot(
  scope: { account: string; region: string },
  fn: Pick<
    FunctionConfiguration,
    | 'FunctionName'
    | 'FunctionArn'
    | 'Role'
    | 'DeadLetterConfig'
    | 'Runtime'
    | 'PackageType'
    | 'Architectures'
    | 'TracingConfig'
    | 'Timeout'
    | 'MemorySize'
  >,
  eventInvokeConfig: EventInvokeConfig | undefined,
  access: FunctionAccess,
): LambdaFunctionSnapshot {
  const name = fn.FunctionName!;
  const ref = lambdaFunctionRef(scope.account, scope.region, name);
  return {
    type: LAMBDA_FUNCTION,
    ref,
    functionName: name,
    functionArn: fn.FunctionArn ?? ref.arn,
    ...(fn.Role ? { role: fn.Role } : {}),
    ...(fn.DeadLetterConfig?.TargetArn
      ? { deadLetterTargetArn: fn.DeadLetterConfig.TargetArn }
      : {}),
    ...(eventInvokeConfig ? { eventInvokeConfig } : {}),
    ...(fn.Runtime ? { runtime: fn.Runtime } : {}),
    ...(fn.PackageType ? { packageType: fn.PackageType } : {}),
    architectures: fn.Architectures?.length
      ? [...fn.Architectures]
      : [LAMBDA_DEFAULTS.architecture],
    tracingMode: fn.TracingConfig?.Mode ?? LAMBDA_DEFAULTS.tracingMode,
    timeoutSeconds: fn.Timeout ?? LAMBDA_DEFAULTS.timeoutSeconds,
    memorySizeMb: fn.MemorySize ?? LAMBDA_DEFAULTS.memorySizeMb,
    ...access,
  };
}

export const lambdaFunctionType = defineResourceType<LambdaFunctionSnapshot>({
  type: LAMBDA_FUNCTION,
  eventSource: 'lambda.amazonaws.com',
  iam: {
    service: 'lambda',
    arns: (p, a) => [`arn:${p}:lambda:*:${a}:function:*`],
    reason: 'Function writes: any function of this account, found at run time.',
  },
  securityHubType: 'AwsLambdaFunction',
  configResourceTypes: ['AWS::Lambda::Function'],
  cloudFormationTypes: [
    'AWS::Lambda::Function',
    'AWS::Lambda::EventInvokeConfig',
    'AWS::Lambda::Permission',
    'AWS::Lambda::Url',
  ],
  cloudTrail: {
    CreateFunction20150331: byFunctionName,
    UpdateFunctionConfiguration20150331v2: byFunctionName,
    PutFunctionEventInvokeConfig: byFunctionName,
    UpdateFunctionEventInvokeConfig: byFunctionName,
    DeleteFunctionEventInvokeConfig: byFunctionName,
    AddPermission20150331v2: byFunctionName,
    RemovePermission20150331v2: byFunctionName,
    CreateFunctionUrlConfig20211031: byFunctionName,
    UpdateFunctionUrlConfig20211031: byFunctionName,
  },
  readActions: [
    'lambda:GetFunctionConfiguration',
    'lambda:GetFunctionEventInvokeConfig',
    ...FUNCTION_ACCESS_READS,
  ],
  collect: (clients, locator) => readFunction(clients, locator, locator.id ?? locator.name!),
  // No fromConfigItem: Config's item lacks the event invoke config (on-failure destination),
  // so judging from it would call every destination-only function non-compliant. A Config
  // change for a function is evaluated from a fresh read instead.
  fromTemplate: lambdaFunctionsFromTemplate,
  failureDestinations: (s) =>
    [s.deadLetterTargetArn, s.eventInvokeConfig?.onFailure].filter(
      (a): a is string => typeof a === 'string' && a.startsWith('arn:'),
    ),
  enumerate: lambdaFunctionEnumerator,
});
