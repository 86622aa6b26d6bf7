import { DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { kmsKeyType } from '../src/resources/kms-key';
import { defineRemediator } from '../src/engine/definitions';
import {
  DYNAMODB_TABLE,
  isKmsEncrypted,
  readTable,
  type DynamoDbTableSnapshot,
} from '../src/resources/dynamodb-table';
import { guarded, verificationFailed } from './support/guarded';

/**
 * Switches a table's server-side encryption from the AWS-owned key to KMS with UpdateTable:
 * the data stays in place (DynamoDB re-encrypts online), nothing else of the table changes.
 */
export const dynamodbEnableKms = defineRemediator<DynamoDbTableSnapshot>({
  id: 'dynamodb-enable-kms',
  description: 'Switches a DynamoDB table to KMS encryption (UpdateTable SSESpecification).',
  resourceType: DYNAMODB_TABLE,
  iamActions: {
    read: ['dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups', 'kms:DescribeKey'],
    write: ['dynamodb:UpdateTable', 'kms:CreateGrant'],
  },
  // DynamoDB creates the key's grant on the caller's behalf: only that, never a grant for a
  // principal of Rampart's choosing.
  iamConditions: {
    'kms:CreateGrant': {
      Bool: { 'kms:GrantIsForAWSResource': 'true' },
      StringLike: { 'kms:ViaService': 'dynamodb.*.amazonaws.com' },
    },
  },
  // The grant is on the table's key: the KMS key type's scope (any key of the account), held
  // to grants for an AWS resource through DynamoDB by the conditions above.
  alsoWrites: [kmsKeyType.iam],
  // Rampart never calls KMS itself: DynamoDB does, as the caller, during UpdateTable.
  impliedActions: {
    'kms:DescribeKey':
      'dynamodb:UpdateTable to a customer managed key (DynamoDB describes the key as the caller)',
    'kms:CreateGrant':
      'dynamodb:UpdateTable to a customer managed key (DynamoDB creates its grant as the caller)',
  },
  remediate: ({ clients, snapshot, violation }) =>
    guarded(snapshot.sse, async (changes) => {
      const before = (await readTable(clients, snapshot.ref, snapshot.tableName)) ?? snapshot;
      if (isKmsEncrypted(before.sse)) {
        return { status: 'already-compliant', changes, before: before.sse, after: before.sse };
      }
      const kmsKeyArn = violation.remedy?.kmsKeyArn as string | undefined;
      await clients.get(DynamoDBClient, snapshot.ref).send(
        new UpdateTableCommand({
          TableName: snapshot.tableName,
          SSESpecification: {
            Enabled: true,
            SSEType: 'KMS',
            ...(kmsKeyArn ? { KMSMasterKeyId: kmsKeyArn } : {}),
          },
        }),
      );
      changes.push(
        `UpdateTable ${snapshot.tableName}: SSE KMS with ${kmsKeyArn ?? 'the AWS-managed key alias/aws/dynamodb'}`,
      );
      const after = await readTable(clients, snapshot.ref, snapshot.tableName);
      if (!after || !isKmsEncrypted(after.sse)) {
        return verificationFailed(
          changes,
          before.sse,
          after?.sse,
          `table ${snapshot.tableName} still reports SSE ${after?.sse.sseType ?? 'AWS-owned key'}`,
        );
      }
      return { status: 'reverted', changes, before: before.sse, after: after.sse };
    }),
});
