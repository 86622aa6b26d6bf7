import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import { STATE_TABLE_ENV } from '../config/reliability';
import type { Intake } from '../engine/work-item';
import { idempotentHandling } from './idempotency';
import { RevertBreaker } from './revert-breaker';

/**
 * The state table shared by duplicate suppression (Powertools idempotency's default record
 * layout) and the revert-war breaker: string key `id`, expiry in `expiration` (epoch
 * seconds). The infrastructure creates it from this description.
 */
export const STATE_TABLE = {
  partitionKey: 'id',
  ttlAttribute: 'expiration',
  env: STATE_TABLE_ENV,
} as const;

/** What Powertools idempotency (get, conditional put, update, delete) and the breaker call. */
export const STATE_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/** The state table lives next to the Lambda, in its own region. */
function stateClient(clients: AwsClients): DynamoDBClient {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return clients.get(DynamoDBClient, { region });
}

/** The revert-war breaker, when a state table is configured and the breaker is enabled. */
export function revertBreakerFor(
  config: RampartConfig,
  clients: AwsClients,
  now?: () => number,
): RevertBreaker | undefined {
  const { stateTable, revertBreaker } = config.reliability;
  if (!stateTable || !revertBreaker.enabled) return undefined;
  return new RevertBreaker({
    client: stateClient(clients),
    tableName: stateTable,
    settings: revertBreaker,
    ...(now ? { now } : {}),
  });
}

/** Duplicate suppression around "handle one event", when a state table is configured. */
export function idempotencyFor<R>(
  rampart: { config: RampartConfig; clients: AwsClients },
  handle: (intake: Intake) => Promise<R>,
) {
  const { stateTable, idempotency } = rampart.config.reliability;
  if (!stateTable || !idempotency.enabled) return undefined;
  return idempotentHandling(handle, {
    client: stateClient(rampart.clients),
    tableName: stateTable,
    expiresAfterSeconds: idempotency.expiresAfterSeconds,
  });
}
