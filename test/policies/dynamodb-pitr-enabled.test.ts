import { describe, expect, it } from 'vitest';
import { dynamodbPitrEnabled } from '../../policies/dynamodb-pitr-enabled';
import { dynamoDbTableRef, type DynamoDbTableSnapshot } from '../../src/resources/dynamodb-table';

const table = (pointInTimeRecovery: boolean): DynamoDbTableSnapshot => ({
  type: 'AWS::DynamoDB::Table',
  ref: dynamoDbTableRef('123456789012', 'eu-west-1', 'orders'),
  tableName: 'orders',
  sse: {},
  replicas: [],
  pointInTimeRecovery,
  deletionProtection: false,
});

describe('dynamodb-pitr-enabled', () => {
  it('states its metadata: enforce, reliability, its remediator', () => {
    expect(dynamodbPitrEnabled).toMatchObject({
      defaultMode: 'enforce',
      pillar: 'reliability',
      remediatorId: 'dynamodb-enable-pitr',
    });
    expect(dynamodbPitrEnabled.controls).toContainEqual({
      framework: 'aws-fsbp',
      id: 'DynamoDB.2',
    });
  });

  it('PITR on complies; off violates', () => {
    expect(dynamodbPitrEnabled.evaluate(table(true), {})).toEqual({ compliant: true });
    const v = dynamodbPitrEnabled.evaluate(table(false), {});
    expect(v.compliant === false && v.finding.message).toBe(
      'DynamoDB table orders has no point-in-time recovery.',
    );
  });
});
