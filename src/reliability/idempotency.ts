import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { createHash } from 'node:crypto';
import type { Intake } from '../engine/work-item';

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
 * The key of an event's work, or undefined when it has none worth remembering: skipped
 * events and work from other sources than CloudTrail. Those are cheap to handle again and
 * the evaluator reports them on every delivery. The intake has located the resources once;
 * the key is built from that, not from a second parse.
 */
export function idempotencyKeyOf(intake: Intake): IdempotencyKey | undefined {
  if (intake.status !== 'work' || !intake.record) return undefined;
  const resources = new Set(
    intake.items.map(
      ({ locator: l }) => `${l.type}|${l.account}|${l.region}|${l.id ?? `name:${l.name}`}`,
    ),
  );
  if (resources.size === 0) return undefined;
  return {
    eventId: intake.eventId,
    resources: [...resources].sort(),
    recordSha256: createHash('sha256').update(JSON.stringify(intake.record)).digest('base64url'),
  };
}

export interface IdempotentHandlingOptions {
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
  handle: (intake: Intake) => Promise<R>,
  options: IdempotentHandlingOptions,
) {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    awsSdkV3Client: options.client,
  });
  const config = new IdempotencyConfig({ expiresAfterSeconds: options.expiresAfterSeconds });
  // The stored result must be plain JSON: DynamoDB refuses undefined members.
  const handleAsJson = async (_key: IdempotencyKey, intake: Intake): Promise<R> =>
    JSON.parse(JSON.stringify(await handle(intake))) as R;
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
    handle(intake: Intake): Promise<R> {
      const key = idempotencyKeyOf(intake);
      return key ? keyed(key, intake) : handle(intake);
    },
  };
}
