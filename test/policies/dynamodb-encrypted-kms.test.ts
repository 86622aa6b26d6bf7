import { describe, expect, it } from 'vitest';
import { dynamodbEncryptedKms } from '../../policies/dynamodb-encrypted-kms';
import { dynamoDbTableRef, type DynamoDbTableSnapshot } from '../../src/resources/dynamodb-table';

const table = (
  sse: DynamoDbTableSnapshot['sse'],
  replicas: DynamoDbTableSnapshot['replicas'] = [],
): DynamoDbTableSnapshot => ({
  type: 'AWS::DynamoDB::Table',
  ref: dynamoDbTableRef('123456789012', 'eu-west-1', 'orders'),
  tableName: 'orders',
  sse,
  replicas,
  pointInTimeRecovery: true,
  deletionProtection: false,
});
const defaults = dynamodbEncryptedKms.parameters.parse({});

describe('dynamodb-encrypted-kms', () => {
  it('accepts a table on the AWS-managed or a customer-managed KMS key', () => {
    expect(
      dynamodbEncryptedKms.evaluate(
        table({
          status: 'ENABLED',
          sseType: 'KMS',
          kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
        }),
        defaults,
      ),
    ).toEqual({ compliant: true });
    // Right after UpdateTable the switch is in progress: not a violation to fight.
    expect(
      dynamodbEncryptedKms.evaluate(table({ status: 'UPDATING', sseType: 'KMS' }), defaults)
        .compliant,
    ).toBe(true);
  });

  it('flags the AWS-owned key (no SSEDescription) and asks for the configured key', () => {
    const verdict = dynamodbEncryptedKms.evaluate(table({}), { kmsKeyArn: 'alias/orders' });
    expect(verdict.compliant).toBe(false);
    if (verdict.compliant !== false) return;
    expect(verdict.finding.message).toContain('AWS-owned key');
    expect(verdict.finding.remedy).toEqual({ kmsKeyArn: 'alias/orders' });
  });

  it('flags a KMS setting that is DISABLED, and lists global table replicas', () => {
    const verdict = dynamodbEncryptedKms.evaluate(
      table({ status: 'DISABLED', sseType: 'KMS' }, [
        { region: 'us-east-1' },
        { region: 'ap-southeast-2' },
      ]),
      defaults,
    );
    expect(verdict.compliant).toBe(false);
    if (verdict.compliant !== false) return;
    expect(verdict.finding.elements.map((e) => e.kind)).toEqual([
      'table-encryption',
      'replica-encryption',
      'replica-encryption',
    ]);
    expect(verdict.finding.message).toContain('us-east-1, ap-southeast-2');
    expect(verdict.finding.remedy).toEqual({ kmsKeyArn: undefined });
  });

  it('rejects unknown parameters', () => {
    expect(() => dynamodbEncryptedKms.parameters.parse({ kmsKey: 'x' })).toThrow(/kmsKey/);
  });
});
