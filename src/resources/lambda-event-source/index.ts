import {
  GetEventSourceMappingCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  type EventSourceMappingConfiguration,
} from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../aws/clients';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { lambdaFunctionType } from '../lambda-function';
import { queueUrlOf } from '../sqs-queue';
import { arnScope, isAwsError, refOf, requiredString } from '../shared';
import { lambdaEventSourcesFromTemplate } from './cloudformation';
import { lambdaEventSourceEnumerator } from './enumerate';
import { isSqsSource, LAMBDA_EVENT_SOURCE, type LambdaEventSourceSnapshot } from './snapshot';

export * from './snapshot';

type Scope = { account: string; region: string };

export function eventSourceRef(account: string, region: string, uuid: string): ResourceRef {
  return refOf(
    LAMBDA_EVENT_SOURCE,
    account,
    region,
    uuid,
    (p) => `arn:${p}:lambda:${region}:${account}:event-source-mapping:${uuid}`,
  );
}

/** The function's timeout, read in the function's own account and region. */
export async function readFunctionTimeout(
  clients: AwsClients,
  where: Scope,
  functionArn: string,
): Promise<number | undefined> {
  try {
    const out = await clients
      .get(LambdaClient, arnScope(functionArn, where))
      .send(new GetFunctionConfigurationCommand({ FunctionName: functionArn }));
    return out.Timeout;
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

/** The queue's visibility timeout, read in the queue's own account and region. */
export async function readVisibilityTimeout(
  clients: AwsClients,
  where: Scope,
  queueArn: string,
): Promise<number | undefined> {
  const scope = arnScope(queueArn, where);
  const url = await queueUrlOf(clients, scope, queueArn.split(':').at(-1)!);
  if (!url) return undefined;
  const out = await clients
    .get(SQSClient, scope)
    .send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }));
  const v = Number(out.Attributes?.VisibilityTimeout);
  return Number.isFinite(v) ? v : undefined;
}

/** One mapping, with both ends read (memoized by the caller across a listing). */
export async function eventSourceSnapshot(
  scope: Scope,
  m: Pick<
    EventSourceMappingConfiguration,
    'UUID' | 'FunctionArn' | 'EventSourceArn' | 'State' | 'MaximumBatchingWindowInSeconds'
  >,
  read: {
    functionTimeout: (arn: string) => Promise<number | undefined>;
    visibilityTimeout: (arn: string) => Promise<number | undefined>;
  },
): Promise<LambdaEventSourceSnapshot> {
  const source = m.EventSourceArn ?? '';
  const [timeout, visibility] = await Promise.all([
    read.functionTimeout(m.FunctionArn!),
    isSqsSource(source) ? read.visibilityTimeout(source) : Promise.resolve(undefined),
  ]);
  return {
    type: LAMBDA_EVENT_SOURCE,
    ref: eventSourceRef(scope.account, scope.region, m.UUID!),
    uuid: m.UUID!,
    functionArn: m.FunctionArn!,
    eventSourceArn: source,
    ...(m.State ? { state: m.State } : {}),
    batchingWindowSeconds: m.MaximumBatchingWindowInSeconds ?? 0,
    ...(timeout !== undefined ? { functionTimeoutSeconds: timeout } : {}),
    ...(visibility !== undefined ? { queueVisibilityTimeoutSeconds: visibility } : {}),
  };
}

export async function readEventSource(
  clients: AwsClients,
  scope: Scope,
  uuid: string,
): Promise<LambdaEventSourceSnapshot | undefined> {
  let m;
  try {
    m = await clients
      .get(LambdaClient, scope)
      .send(new GetEventSourceMappingCommand({ UUID: uuid }));
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
  if (!m.FunctionArn) return undefined;
  return eventSourceSnapshot(scope, m, {
    functionTimeout: (arn) => readFunctionTimeout(clients, scope, arn),
    visibilityTimeout: (arn) => readVisibilityTimeout(clients, scope, arn),
  });
}

/** CreateEventSourceMapping answers the mapping's UUID; UpdateEventSourceMapping names it. */
const byUuid: CloudTrailLocator = (record, where) => [
  {
    type: LAMBDA_EVENT_SOURCE,
    ...where,
    id: requiredString(record, ['request.uUID', 'response.uUID', 'request.uuid', 'response.uuid']),
  },
];

export const lambdaEventSourceType = defineResourceType<LambdaEventSourceSnapshot>({
  type: LAMBDA_EVENT_SOURCE,
  eventSource: 'lambda.amazonaws.com',
  // Lambda has one write scope (the functions'); no remediator writes mappings.
  iam: lambdaFunctionType.iam,
  securityHubType: 'Other',
  configResourceTypes: [],
  configNotRecorded:
    "Not read from AWS Config: the verdict needs the function's timeout and the queue's visibility timeout as they are now, so a mapping is always read live (its CloudTrail events and the sweep find it).",
  cloudFormationTypes: ['AWS::Lambda::EventSourceMapping'],
  cloudTrail: {
    CreateEventSourceMapping20150331: byUuid,
    UpdateEventSourceMapping20150331: byUuid,
  },
  readActions: [
    'lambda:GetEventSourceMapping',
    'lambda:GetFunctionConfiguration',
    'sqs:GetQueueUrl',
    'sqs:GetQueueAttributes',
  ],
  collect: (clients, locator) => readEventSource(clients, locator, locator.id!),
  fromTemplate: lambdaEventSourcesFromTemplate,
  enumerate: lambdaEventSourceEnumerator,
});
