import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import {
  DYNAMODB_TABLE,
  type DynamoDbTableSnapshot,
} from '../src/resources/dynamodb-table/snapshot';

export const dynamodbDeletionProtectionEnabled = definePolicy<
  DynamoDbTableSnapshot,
  Record<string, never>
>({
  id: 'dynamodb-deletion-protection-enabled',
  title: 'DynamoDB tables have deletion protection',
  description:
    'A table with DeletionProtectionEnabled off violates: one DeleteTable call (a script, a console click, a stack deleted by mistake) removes it with every item.',
  rationale:
    'Deleting a table is immediate and its items are gone unless a backup exists; deletion protection makes DeleteTable fail until someone turns it off on purpose.',
  severity: 'medium',
  pillar: 'reliability',
  controls: [
    { framework: 'aws-fsbp', id: 'DynamoDB.6' },
    { framework: 'aws-well-architected', id: 'REL09-BP01' },
  ],
  resourceType: DYNAMODB_TABLE,
  triggers: ['CreateTable', 'UpdateTable', 'RestoreTableFromBackup', 'RestoreTableToPointInTime'],
  // Turning it on changes no item, key or capacity, and costs nothing; a table meant to be
  // deleted gets an exception first (or the owner turns protection off and deletes at once).
  defaultMode: 'enforce',
  parameters: z.strictObject({}),
  remediatorId: 'dynamodb-enable-deletion-protection',
  evaluate(snapshot) {
    if (snapshot.deletionProtection) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `DynamoDB table ${snapshot.tableName} has no deletion protection.`,
        elements: [{ kind: 'deletion-protection', description: 'DeletionProtectionEnabled off' }],
      },
    };
  },
});
