import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { AwsClients } from './clients';

/** A table's key layout and expiry attribute, as the code that uses it declares them. */
export interface TableSpec {
  partitionKey: string;
  sortKey?: string;
  ttlAttribute: string;
}

/**
 * Creates one of Rampart's own tables where no stack does (tests, the demo, local runs):
 * string keys from its spec, on-demand, encrypted with the AWS-managed KMS key (so Rampart's
 * own dynamodb-encrypted-kms policy finds nothing to say about it), TTL enabled. A table that
 * already exists is left as it is.
 */
export async function ensureTable(
  clients: AwsClients,
  table: { name: string; region: string },
  spec: TableSpec,
): Promise<void> {
  const ddb = clients.get(DynamoDBClient, { region: table.region });
  const keys = [
    { name: spec.partitionKey, type: 'HASH' as const },
    ...(spec.sortKey ? [{ name: spec.sortKey, type: 'RANGE' as const }] : []),
  ];
  try {
    await ddb.send(
      new CreateTableCommand({
        TableName: table.name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: 'S' })),
        KeySchema: keys.map((k) => ({ AttributeName: k.name, KeyType: k.type })),
        SSESpecification: { Enabled: true, SSEType: 'KMS' },
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return;
    throw error;
  }
  await ddb.send(
    new UpdateTimeToLiveCommand({
      TableName: table.name,
      TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true },
    }),
  );
}
