import { GetQueueAttributesCommand, SQSClient, paginateListQueues } from '@aws-sdk/client-sqs';
import type { ResourceEnumerator } from '../../engine/definitions';
import { isAwsError } from '../shared';
import { parseRedrivePolicy, queueSnapshot, type SqsQueueSnapshot } from './index';

interface QueueRead {
  url: string;
  attributes: Record<string, string>;
}

/**
 * ListQueues (1,000 URLs a page), then the attributes of each queue; tags are left out (the
 * type's readTags reads them for a violation whose verdict turns on them). Which queues use a
 * queue as their DLQ comes from the other queues' redrive policies (a DLQ lives in the same
 * account and region), not from ListDeadLetterSourceQueues per queue: every queue of the
 * region is read before any snapshot is built.
 */
export const sqsQueueEnumerator: ResourceEnumerator<SqsQueueSnapshot> = {
  readActions: ['sqs:ListQueues', 'sqs:GetQueueAttributes'],
  async *list(clients, scope) {
    const client = clients.get(SQSClient, scope);
    const reads: Promise<QueueRead | undefined>[] = [];
    for await (const page of paginateListQueues({ client }, { MaxResults: 1000 })) {
      const urls = page.QueueUrls ?? [];
      scope.discovered?.(urls.length);
      for (const url of urls) reads.push(scope.limit(() => readQueueState(client, url)));
    }
    const queues = (await Promise.all(reads)).filter((q): q is QueueRead => q !== undefined);
    const sources = new Map<string, string[]>();
    for (const q of queues) {
      const target = parseRedrivePolicy(q.attributes.RedrivePolicy)?.deadLetterTargetArn;
      if (target) sources.set(target, [...(sources.get(target) ?? []), q.url]);
    }
    for (const q of queues) {
      yield queueSnapshot(scope, q.url, q.attributes, {
        deadLetterSourceQueueUrls: sources.get(q.attributes.QueueArn ?? '') ?? [],
      });
    }
  },
};

async function readQueueState(client: SQSClient, url: string): Promise<QueueRead | undefined> {
  try {
    const attrs = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    return { url, attributes: attrs.Attributes ?? {} };
  } catch (error) {
    // Deleted between the listing and the read.
    if (isAwsError(error, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue')) {
      return undefined;
    }
    throw error;
  }
}
