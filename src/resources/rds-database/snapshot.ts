/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

/**
 * DB instances and Aurora/Multi-AZ clusters share one policy, so one Rampart resource type
 * covers both; each snapshot's ref carries the concrete CloudFormation type.
 */
export const RDS_DATABASE = 'AWS::RDS::Database' as const;
export const RDS_KINDS = {
  instance: { cfnType: 'AWS::RDS::DBInstance', arnKind: 'db' },
  cluster: { cfnType: 'AWS::RDS::DBCluster', arnKind: 'cluster' },
} as const;
export type RdsKind = keyof typeof RDS_KINDS;

export interface RdsDatabaseSnapshot extends Snapshot {
  type: typeof RDS_DATABASE;
  kind: RdsKind;
  identifier: string;
  engine?: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  /** Instances that belong to a cluster inherit its encryption: the cluster is judged. */
  clusterIdentifier?: string;
  /** The instance has a public DNS name resolving to a public address (instances only). */
  publiclyAccessible?: boolean;
  /** Delete calls are refused while this is on (DeletionProtection; off by default). */
  deletionProtection: boolean;
  /** Days of automated backups (0: none); RDS's default is 1 (7 from the console). */
  backupRetentionDays: number;
  /** A standby in a second Availability Zone (instances; Aurora clusters keep storage in three). */
  multiAZ: boolean;
}

/** RDS's defaults where an API answer or a template does not say. */
export const RDS_DEFAULTS = { backupRetentionDays: 1 } as const;
