import { DynamoDBClient, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { defineRemediator } from '../src/engine/definitions';
import {
  DYNAMODB_TABLE,
  readTable,
  type DynamoDbTableSnapshot,
} from '../src/resources/dynamodb-table';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/**
 * Turns point-in-time recovery on (UpdateContinuousBackups), the one setting it changes: no
 * item, key, capacity or stream is touched, and nothing is ever turned off.
 */
export const dynamodbEnablePitr = defineRemediator<DynamoDbTableSnapshot>({
  id: 'dynamodb-enable-pitr',
  description: 'Turns point-in-time recovery on (UpdateContinuousBackups).',
  resourceType: DYNAMODB_TABLE,
  iamActions: {
    read: ['dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups'],
    write: ['dynamodb:UpdateContinuousBackups'],
  },
  remediate: ({ clients, snapshot }) =>
    guarded(snapshot.pointInTimeRecovery, async (changes) => {
      const before = await readTable(clients, snapshot.ref, snapshot.tableName);
      if (!before) return resourceGone(changes, `table ${snapshot.tableName}`);
      if (before.pointInTimeRecovery) {
        return { status: 'already-compliant', changes, before: true, after: true };
      }
      await clients.get(DynamoDBClient, snapshot.ref).send(
        new UpdateContinuousBackupsCommand({
          TableName: snapshot.tableName,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      );
      changes.push(`turned on point-in-time recovery of table ${snapshot.tableName}`);
      const after = await readTable(clients, snapshot.ref, snapshot.tableName);
      if (!after?.pointInTimeRecovery) {
        return verificationFailed(
          changes,
          false,
          after?.pointInTimeRecovery,
          `table ${snapshot.tableName} still has no point-in-time recovery`,
        );
      }
      return { status: 'reverted', changes, before: false, after: true };
    }),
});
