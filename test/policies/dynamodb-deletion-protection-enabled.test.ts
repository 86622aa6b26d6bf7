import { describe, expect, it } from 'vitest';
import { dynamodbDeletionProtectionEnabled } from '../../policies/dynamodb-deletion-protection-enabled';
import { dynamoDbTableRef, type DynamoDbTableSnapshot } from '../../src/resources/dynamodb-table';

const table = (deletionProtection: boolean): DynamoDbTableSnapshot => ({
  type: 'AWS::DynamoDB::Table',
  ref: dynamoDbTableRef('123456789012', 'eu-west-1', 'orders'),
  tableName: 'orders',
  sse: {},
  replicas: [],
  pointInTimeRecovery: true,
  deletionProtection,
});

describe('dynamodb-deletion-protection-enabled', () => {
  it('states its metadata: enforce, reliability, its remediator, DynamoDB.6', () => {
    expect(dynamodbDeletionProtectionEnabled).toMatchObject({
      defaultMode: 'enforce',
      pillar: 'reliability',
      remediatorId: 'dynamodb-enable-deletion-protection',
    });
    expect(dynamodbDeletionProtectionEnabled.controls).toContainEqual({
      framework: 'aws-fsbp',
      id: 'DynamoDB.6',
    });
  });

  it('protection on complies; off violates and says so', () => {
    expect(dynamodbDeletionProtectionEnabled.evaluate(table(true), {})).toEqual({
      compliant: true,
    });
    const v = dynamodbDeletionProtectionEnabled.evaluate(table(false), {});
    expect(v.compliant === false && v.finding.message).toBe(
      'DynamoDB table orders has no deletion protection.',
    );
  });
});
