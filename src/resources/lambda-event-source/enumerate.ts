import { LambdaClient, paginateListEventSourceMappings } from '@aws-sdk/client-lambda';
import type { ResourceEnumerator } from '../../engine/definitions';
import { readEach } from '../enumeration';
import {
  eventSourceSnapshot,
  readFunctionTimeout,
  readVisibilityTimeout,
  type LambdaEventSourceSnapshot,
} from './index';

/** Memoizes one read per key for the whole listing: many mappings share a function or queue. */
function once<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const seen = new Map<string, Promise<T>>();
  return (key) => {
    if (!seen.has(key)) seen.set(key, read(key));
    return seen.get(key)!;
  };
}

/**
 * ListEventSourceMappings (100 a page, every mapping of the region) carries both ends'
 * ARNs; each function's timeout and each queue's visibility timeout is read once.
 */
export const lambdaEventSourceEnumerator: ResourceEnumerator<LambdaEventSourceSnapshot> = {
  readActions: [
    'lambda:ListEventSourceMappings',
    'lambda:GetFunctionConfiguration',
    'sqs:GetQueueUrl',
    'sqs:GetQueueAttributes',
  ],
  async *list(clients, scope) {
    const client = clients.get(LambdaClient, scope);
    const read = {
      functionTimeout: once((arn) => readFunctionTimeout(clients, scope, arn)),
      visibilityTimeout: once((arn) => readVisibilityTimeout(clients, scope, arn)),
    };
    for await (const page of paginateListEventSourceMappings({ client }, { MaxItems: 100 })) {
      const mappings = (page.EventSourceMappings ?? []).filter((m) => m.UUID && m.FunctionArn);
      yield* await readEach(scope, mappings, (m) => eventSourceSnapshot(scope, m, read));
    }
  },
};
