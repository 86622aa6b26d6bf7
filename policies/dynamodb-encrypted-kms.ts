import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import {
  DYNAMODB_TABLE,
  isKmsEncrypted,
  type DynamoDbTableSnapshot,
} from '../src/resources/dynamodb-table/snapshot';

export const dynamodbEncryptedKmsParameters = z.strictObject({
  kmsKeyArn: z
    .string()
    .min(1)
    .optional()
    .describe(
      'KMS key (ARN, id or alias) to switch to; absent means the AWS-managed key `alias/aws/dynamodb`.',
    ),
});
export type DynamodbEncryptedKmsParameters = z.output<typeof dynamodbEncryptedKmsParameters>;

export const dynamodbEncryptedKms = definePolicy<
  DynamoDbTableSnapshot,
  DynamodbEncryptedKmsParameters
>({
  id: 'dynamodb-encrypted-kms',
  title: 'DynamoDB tables are encrypted with a KMS key',
  description:
    'A table (and so each of its global table replicas) encrypted only with the AWS-owned key violates; a KMS key, AWS-managed or customer-managed, is compliant.',
  rationale:
    'With the AWS-owned key, key use never appears in CloudTrail and access to the data cannot be restricted or revoked through a key policy; a KMS key gives both.',
  severity: 'medium',
  pillar: 'security',
  controls: [
    { framework: 'aws-well-architected', id: 'SEC08-BP01' },
    { framework: 'aws-well-architected', id: 'SEC08-BP02' },
  ],
  resourceType: DYNAMODB_TABLE,
  triggers: ['CreateTable', 'UpdateTable', 'RestoreTableFromBackup', 'RestoreTableToPointInTime'],
  defaultMode: 'enforce',
  parameters: dynamodbEncryptedKmsParameters,
  remediatorId: 'dynamodb-enable-kms',
  evaluate(snapshot, params) {
    if (isKmsEncrypted(snapshot.sse)) return { compliant: true };
    const target = params.kmsKeyArn ?? 'the AWS-managed key alias/aws/dynamodb';
    return {
      compliant: false,
      finding: {
        message: `DynamoDB table ${snapshot.tableName} is encrypted with the AWS-owned key${snapshot.replicas.length ? ` (and so are its replicas in ${snapshot.replicas.map((r) => r.region).join(', ')})` : ''}; expected a KMS key (${target}).`,
        elements: [
          {
            kind: 'table-encryption',
            description: `SSE ${snapshot.sse.sseType ?? 'AWS-owned key'}${snapshot.sse.status ? ` (${snapshot.sse.status})` : ''}`,
          },
          ...snapshot.replicas.map((r) => ({
            kind: 'replica-encryption',
            id: r.region,
            description: `replica in ${r.region} without a KMS key`,
          })),
        ],
        remedy: { kmsKeyArn: params.kmsKeyArn },
      },
    };
  },
});
