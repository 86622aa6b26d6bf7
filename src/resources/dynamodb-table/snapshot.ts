/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

export const DYNAMODB_TABLE = 'AWS::DynamoDB::Table' as const;

export interface DynamoDbTableSnapshot extends Snapshot {
  type: typeof DYNAMODB_TABLE;
  tableName: string;
  /**
   * Server-side encryption. `sseType` absent (no SSEDescription, or status DISABLED) means the
   * AWS-owned key; `KMS` means an AWS-managed or customer-managed KMS key.
   */
  sse: { status?: string; sseType?: string; kmsKeyArn?: string };
  /** Global table (2019.11.21) replicas in other regions and their KMS key, if any. */
  replicas: { region: string; kmsKeyId?: string; status?: string }[];
  /** Point-in-time recovery (continuous backups) is on. */
  pointInTimeRecovery: boolean;
  /** DeleteTable is refused while this is on (DeletionProtectionEnabled; off by default). */
  deletionProtection: boolean;
}

/** SSE with KMS is on, or being switched on (UpdateTable makes it UPDATING for a while). */
const KMS_STATUSES = new Set(['ENABLED', 'ENABLING', 'UPDATING']);

export function isKmsEncrypted(sse: DynamoDbTableSnapshot['sse']): boolean {
  return sse.sseType === 'KMS' && (sse.status === undefined || KMS_STATUSES.has(sse.status));
}
