import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueueTagsCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../aws/clients';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import type { ConfigurationItem } from '../../events/config-item';
import { isAwsError, refOf, requiredString, stringAt } from '../shared';
import { sqsQueuesFromTemplate } from './cloudformation';
import { sqsQueueEnumerator } from './enumerate';
import { SQS_QUEUE_SCOPE } from './scope';
import { RedrivePolicy, SQS_QUEUE, SqsQueueSnapshot } from './snapshot';

export * from './snapshot';

export function sqsQueueRef(
  account: string,
  region: string,
  name: string,
  url: string,
): ResourceRef {
  return refOf(SQS_QUEUE, account, region, url, (p) => `arn:${p}:sqs:${region}:${account}:${name}`);
}

/** The last path segment of a queue URL (URL hosts vary: legacy, VPC endpoints, emulators). */
export function queueNameOfUrl(url: string): string {
  return url.replace(/\/+$/, '').split('/').pop()!;
}

export function parseRedrivePolicy(raw: unknown): RedrivePolicy | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  try {
    const doc = JSON.parse(raw) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    if (typeof doc.deadLetterTargetArn !== 'string' || doc.deadLetterTargetArn === '')
      return undefined;
    return {
      deadLetterTargetArn: doc.deadLetterTargetArn,
      maxReceiveCount: Number(doc.maxReceiveCount),
    };
  } catch {
    return undefined;
  }
}

/** Builds a snapshot from queue attributes: SQS, its CloudTrail and Config all use these names. */
export function queueSnapshot(
  scope: { account: string; region: string },
  url: string,
  attributes: Record<string, string | undefined>,
  extra: { deadLetterSourceQueueUrls?: string[]; tags?: Record<string, string> },
): SqsQueueSnapshot {
  const name = queueNameOfUrl(url);
  const ref = sqsQueueRef(scope.account, scope.region, name, url);
  const redrivePolicy = parseRedrivePolicy(attributes.RedrivePolicy);
  return {
    type: SQS_QUEUE,
    ref,
    queueName: name,
    queueUrl: url,
    queueArn: attributes.QueueArn ?? ref.arn,
    fifo: attributes.FifoQueue === 'true' || name.endsWith('.fifo'),
    ...(redrivePolicy ? { redrivePolicy } : {}),
    ...(attributes.KmsMasterKeyId ? { kmsMasterKeyId: attributes.KmsMasterKeyId } : {}),
    ...(attributes.KmsDataKeyReusePeriodSeconds
      ? { kmsDataKeyReusePeriodSeconds: attributes.KmsDataKeyReusePeriodSeconds }
      : {}),
    sqsManagedSse: attributes.SqsManagedSseEnabled === 'true',
    ...(extra.deadLetterSourceQueueUrls
      ? { deadLetterSourceQueueUrls: extra.deadLetterSourceQueueUrls }
      : {}),
    ...(extra.tags ? { tags: extra.tags } : {}),
  };
}

export async function queueUrlOf(
  clients: AwsClients,
  scope: { account: string; region: string },
  name: string,
): Promise<string | undefined> {
  try {
    const out = await clients
      .get(SQSClient, scope)
      .send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: scope.account }));
    return out.QueueUrl;
  } catch (error) {
    if (isAwsError(error, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue')) {
      return undefined;
    }
    throw error;
  }
}

export async function readQueue(
  clients: AwsClients,
  scope: { account: string; region: string },
  name: string,
): Promise<SqsQueueSnapshot | undefined> {
  const url = await queueUrlOf(clients, scope, name);
  if (!url) return undefined;
  const sqs = clients.get(SQSClient, scope);
  const [attrs, sources, tags] = await Promise.all([
    sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })),
    sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: url })),
    sqs.send(new ListQueueTagsCommand({ QueueUrl: url })),
  ]);
  return queueSnapshot(scope, url, attrs.Attributes ?? {}, {
    deadLetterSourceQueueUrls: sources.queueUrls ?? [],
    tags: tags.Tags ?? {},
  });
}

/** CreateQueue names the queue in its request; SetQueueAttributes by URL. */
const byQueue: CloudTrailLocator = (record, where) => {
  const url =
    stringAt(record.responseElements, ['queueUrl']) ??
    stringAt(record.requestParameters, ['queueUrl']);
  const name = url ? queueNameOfUrl(url) : requiredString(record, ['request.queueName']);
  return [{ type: SQS_QUEUE, ...where, name }];
};

/** Config's SQS item is GetQueueAttributes with every value a string. */
function fromConfigItem(item: ConfigurationItem): SqsQueueSnapshot {
  const attributes: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(item.configuration)) {
    attributes[k] =
      typeof v === 'string' ? v : v === undefined || v === null ? undefined : JSON.stringify(v);
  }
  const url = item.resourceId.startsWith('https://')
    ? item.resourceId
    : `https://sqs.${item.region}.amazonaws.com/${item.account}/${item.resourceName ?? item.resourceId}`;
  return queueSnapshot({ account: item.account, region: item.region }, url, attributes, {
    tags: item.tags,
  });
}

export const sqsQueueType = defineResourceType<SqsQueueSnapshot>({
  type: SQS_QUEUE,
  eventSource: 'sqs.amazonaws.com',
  iam: SQS_QUEUE_SCOPE,
  securityHubType: 'AwsSqsQueue',
  configResourceTypes: ['AWS::SQS::Queue'],
  cloudFormationTypes: ['AWS::SQS::Queue'],
  cloudTrail: { CreateQueue: byQueue, SetQueueAttributes: byQueue },
  readActions: [
    'sqs:GetQueueUrl',
    'sqs:GetQueueAttributes',
    'sqs:ListDeadLetterSourceQueues',
    'sqs:ListQueueTags',
  ],
  collect: (clients, locator) =>
    readQueue(clients, locator, locator.name ?? queueNameOfUrl(locator.id!)),
  async readTags(clients, snapshot) {
    const out = await clients
      .get(SQSClient, snapshot.ref)
      .send(new ListQueueTagsCommand({ QueueUrl: snapshot.queueUrl }));
    return out.Tags ?? {};
  },
  fromConfigItem,
  fromTemplate: sqsQueuesFromTemplate,
  receivesFailures: true,
  enumerate: sqsQueueEnumerator,
});
