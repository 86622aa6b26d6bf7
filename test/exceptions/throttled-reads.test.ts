import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import { PartialTableReadError } from '../../src/aws/table-io';
import type { ResourceRef, Violation } from '../../src/domain';
import { ExceptionStore } from '../../src/exceptions/store';
import { ensureExceptionsTable } from '../../src/exceptions/table';

const REGION = 'eu-west-3';
const ACCOUNT = '123456789012';

/**
 * DynamoDB under throttling answers BatchGetItem with some keys in UnprocessedKeys instead of
 * Responses. Emulated on moto's real answers: the first `times` BatchGetItem calls come back
 * with every requested key unprocessed.
 */
function throttleBatchGets(clients: AwsClients, times: number): { calls: () => number } {
  let calls = 0;
  const client = clients.get(DynamoDBClient, { region: REGION });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (!['BatchGetItemCommand', 'BatchGetCommand'].includes(String(context.commandName))) {
        return result;
      }
      calls++;
      if (calls > times) return result;
      const input = (args as { input: { RequestItems: Record<string, unknown> } }).input;
      const output = result.output as {
        Responses?: Record<string, unknown[]>;
        UnprocessedKeys?: Record<string, unknown>;
      };
      output.UnprocessedKeys = input.RequestItems;
      output.Responses = Object.fromEntries(Object.keys(input.RequestItems).map((t) => [t, []]));
      return result;
    },
    { step: 'initialize', name: 'throttleBatchGets' },
  );
  return { calls: () => calls };
}

describe('exception lookups under throttling (moto DynamoDB)', () => {
  const table = { name: `rampart-throttle-${randomUUID().slice(0, 8)}`, region: REGION };
  const setup = new AwsClients({ maxAttempts: 1 });
  const resource: ResourceRef = {
    partition: 'aws',
    account: ACCOUNT,
    region: REGION,
    type: 'AWS::SQS::Queue',
    id: 'orders',
    arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`,
  };
  const violation = { policyId: 'sqs-has-dlq', resource } as Violation;
  const snapshot = { type: resource.type, ref: resource };

  beforeAll(async () => {
    await ensureExceptionsTable(setup, table);
    await new ExceptionStore(setup, table).grant(
      {
        policyId: 'sqs-has-dlq',
        resource,
        scope: { kind: 'resource', arn: resource.arn },
        requester: { slackUserId: 'UREQ' },
        approver: 'UAPP',
        justification: 'Replays are handled upstream',
        days: 1,
      },
      Date.now(),
    );
  });
  afterAll(() => setup.destroy());

  it('retries unprocessed keys and still finds the approved exception', async () => {
    const clients = new AwsClients({ maxAttempts: 1 });
    const throttled = throttleBatchGets(clients, 2);
    const found = await new ExceptionStore(clients, table).find(violation, snapshot, Date.now());
    expect(found?.approver).toBe('UAPP');
    expect(throttled.calls()).toBe(3);
    clients.destroy();
  });

  it('keys still unprocessed after the retries are an error, never "no exception"', async () => {
    const clients = new AwsClients({ maxAttempts: 1 });
    throttleBatchGets(clients, 1_000);
    await expect(
      new ExceptionStore(clients, table).find(violation, snapshot, Date.now()),
    ).rejects.toThrow(PartialTableReadError);
    clients.destroy();
  });
});
