import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import {
  DYNAMODB_TABLE,
  type DynamoDbTableSnapshot,
} from '../src/resources/dynamodb-table/snapshot';

export const dynamodbPitrEnabled = definePolicy<DynamoDbTableSnapshot, Record<string, never>>({
  id: 'dynamodb-pitr-enabled',
  title: 'DynamoDB tables have point-in-time recovery',
  description: 'A table without point-in-time recovery (continuous backups) violates.',
  rationale:
    'A bad deploy or a script that overwrites items can only be undone to the second with point-in-time recovery; on-demand backups only restore to when they were taken.',
  severity: 'medium',
  pillar: 'reliability',
  controls: [
    { framework: 'aws-fsbp', id: 'DynamoDB.2' },
    { framework: 'aws-well-architected', id: 'REL09-BP01' },
  ],
  resourceType: DYNAMODB_TABLE,
  triggers: [
    'CreateTable',
    'UpdateContinuousBackups',
    'RestoreTableFromBackup',
    'RestoreTableToPointInTime',
  ],
  // Turning it on changes no item, key or capacity (it is billed per GB stored): enforce.
  defaultMode: 'enforce',
  parameters: z.strictObject({}),
  remediatorId: 'dynamodb-enable-pitr',
  evaluate(snapshot) {
    if (snapshot.pointInTimeRecovery) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `DynamoDB table ${snapshot.tableName} has no point-in-time recovery.`,
        elements: [{ kind: 'point-in-time-recovery', description: 'continuous backups off' }],
      },
    };
  },
});
