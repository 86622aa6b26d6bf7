import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { createHash } from 'node:crypto';
import type { Catalog } from '../engine/catalog';
import { accountOf, parseEvent } from '../events/cloudtrail';

/**
 * What makes two deliveries "the same": the CloudTrail event id, the resources it names, and
 * a digest of the record. Redeliveries carry the very same record; a different record that
 * reuses an event id (garbled, or forged to pre-empt the real one) is handled on its own.
 */
export interface IdempotencyKey {
  eventId: string;
  resources: string[];
  recordSha256: string;
}

/**
 * The key of an event, or undefined when it has none worth remembering: input that does
 * not parse, events no resource type can locate. Those are cheap to handle again and the
 * evaluator reports them (skip or malformed) on every delivery.
 */
export function idempotencyKeyOf(catalog: Catalog, input: unknown): IdempotencyKey | undefined {
  let parsed;
  try {
    parsed = parseEvent(input);
  } catch {
    return undefined;
  }
  if (parsed.kind !== 'cloudtrail') return undefined;
  const { record, envelope } = parsed;
  const account = accountOf(record, envelope);
  if (!account || record.errorCode) return undefined;
  const resources = new Set<string>();
  for (const type of catalog.typesForSource(record.eventSource)) {
    const locate = type.cloudTrail[record.eventName];
    if (!locate) continue;
    try {
      for (const l of locate(record, { account, region: record.awsRegion })) {
        resources.add(`${l.type}|${l.account}|${l.region}|${l.id ?? `name:${l.name}`}`);
      }
    } catch {
      return undefined;
    }
  }
  if (resources.size === 0) return undefined;
  return {
    eventId: record.eventID,
    resources: [...resources].sort(),
    recordSha256: createHash('sha256').update(JSON.stringify(record)).digest('base64url'),
  };
}

export interface IdempotentHandlingOptions {
  catalog: Catalog;
  client: DynamoDBClient;
  tableName: string;
  expiresAfterSeconds: number;
}

/**
 * Wraps "handle one event" with Powertools idempotency (DynamoDB persistence): a second
 * delivery of the same event for the same resources returns the first result instead of
 * acting and notifying again. A delivery that throws leaves no record, so the retry runs;
 * a concurrent duplicate fails with IdempotencyAlreadyInProgressError and is retried by
 * SQS, by which time the first one has finished.
 */
export function idempotentHandling<R>(
  handle: (input: unknown) => Promise<R>,
  options: IdempotentHandlingOptions,
) {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    awsSdkV3Client: options.client,
  });
  const config = new IdempotencyConfig({ expiresAfterSeconds: options.expiresAfterSeconds });
  // The stored result must be plain JSON: DynamoDB refuses undefined members.
  const handleAsJson = async (_key: IdempotencyKey, input: unknown): Promise<R> =>
    JSON.parse(JSON.stringify(await handle(input))) as R;
  const keyed = makeIdempotent(handleAsJson, {
    persistenceStore,
    config,
    keyPrefix: 'rampart-event',
    dataIndexArgument: 0,
  });
  return {
    /** In-progress records expire with the invocation, so a crashed one does not block retries. */
    registerLambdaContext(context: Context): void {
      config.registerLambdaContext(context);
    },
    handle(input: unknown): Promise<R> {
      const key = idempotencyKeyOf(options.catalog, input);
      return key ? keyed(key, input) : handle(input);
    },
  };
}
