import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../aws/clients';
import { ensureTable } from '../aws/tables';

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

/** Creates the table (tests, the demo and local runs; CDK does it in AWS). */
export function ensureExceptionsTable(clients: AwsClients, table: TableRef): Promise<void> {
  return ensureTable(clients, table, EXCEPTIONS_TABLE);
}

export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
