import { DynamoDBClient, paginateListTables } from '@aws-sdk/client-dynamodb';
import type { ResourceEnumerator } from '../../engine/definitions';
import { readEach } from '../enumeration';
import { readTable, type DynamoDbTableSnapshot } from './index';

/** ListTables pages of 100 names; DescribeTable (SSE) and DescribeContinuousBackups (PITR) for each. */
export const dynamoDbTableEnumerator: ResourceEnumerator<DynamoDbTableSnapshot> = {
  readActions: [
    'dynamodb:ListTables',
    'dynamodb:DescribeTable',
    'dynamodb:DescribeContinuousBackups',
  ],
  async *list(clients, scope) {
    const client = clients.get(DynamoDBClient, scope);
    for await (const page of paginateListTables({ client }, { Limit: 100 })) {
      yield* await readEach(scope, page.TableNames ?? [], (name) =>
        readTable(clients, scope, name),
      );
    }
  },
};
