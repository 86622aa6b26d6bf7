import { DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { defineRemediator } from '../src/engine/definitions';
import {
  DYNAMODB_TABLE,
  readTable,
  type DynamoDbTableSnapshot,
} from '../src/resources/dynamodb-table';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/**
 * Turns deletion protection on (UpdateTable DeletionProtectionEnabled true), the one
 * setting it sends: keys, capacity, streams, encryption and items are left as they are.
 */
export const dynamodbEnableDeletionProtection = defineRemediator<DynamoDbTableSnapshot>({
  id: 'dynamodb-enable-deletion-protection',
  description: 'Turns deletion protection on (UpdateTable DeletionProtectionEnabled true).',
  resourceType: DYNAMODB_TABLE,
  iamActions: {
    read: ['dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups'],
    write: ['dynamodb:UpdateTable'],
  },
  remediate: ({ clients, snapshot }) =>
    guarded(snapshot.deletionProtection, async (changes) => {
      const before = await readTable(clients, snapshot.ref, snapshot.tableName);
      if (!before) return resourceGone(changes, `table ${snapshot.tableName}`);
      if (before.deletionProtection) {
        return { status: 'already-compliant', changes, before: true, after: true };
      }
      await clients.get(DynamoDBClient, snapshot.ref).send(
        new UpdateTableCommand({
          TableName: snapshot.tableName,
          DeletionProtectionEnabled: true,
        }),
      );
      changes.push(`turned on deletion protection of table ${snapshot.tableName}`);
      const after = await readTable(clients, snapshot.ref, snapshot.tableName);
      if (!after?.deletionProtection) {
        return verificationFailed(
          changes,
          false,
          after?.deletionProtection,
          `table ${snapshot.tableName} still has no deletion protection`,
        );
      }
      return { status: 'reverted', changes, before: false, after: true };
    }),
});
