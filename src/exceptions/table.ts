import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../aws/clients';

/**
 * The exceptions table: exceptions, pending requests and the Slack messages they hang
 * off, one item each under a string key `pk`. DynamoDB deletes items after `ttl` (epoch
 * seconds); reads also compare expiry themselves, because TTL deletion can lag by days.
 */
export const EXCEPTIONS_TABLE = {
  partitionKey: 'pk',
  ttlAttribute: 'ttl',
  /** Environment variable that names the table in AWS. */
  env: 'RAMPART_EXCEPTIONS_TABLE',
} as const;

/** IAM actions the exception store needs on the table, for the infrastructure to grant. */
export const EXCEPTIONS_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Scan',
] as const;

export interface TableRef {
  name: string;
  region: string;
}

export function documentClient(clients: AwsClients, table: TableRef): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(clients.get(DynamoDBClient, { region: table.region }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** Creates the table with TTL enabled (tests, the demo and local runs; CDK does it in AWS). */
export async function ensureExceptionsTable(clients: AwsClients, table: TableRef): Promise<void> {
  const ddb = clients.get(DynamoDBClient, { region: table.region });
  try {
    await ddb.send(
      new CreateTableCommand({
        TableName: table.name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: EXCEPTIONS_TABLE.partitionKey, AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: EXCEPTIONS_TABLE.partitionKey, KeyType: 'HASH' }],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    return;
  }
  await ddb.send(
    new UpdateTimeToLiveCommand({
      TableName: table.name,
      TimeToLiveSpecification: { AttributeName: EXCEPTIONS_TABLE.ttlAttribute, Enabled: true },
    }),
  );
}

export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
