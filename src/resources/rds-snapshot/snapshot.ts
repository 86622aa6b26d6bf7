/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

/**
 * Manual DB snapshots and DB cluster snapshots share one policy, so one Rampart resource
 * type covers both; each snapshot's ref carries the concrete AWS Config type.
 */
export const RDS_SNAPSHOT = 'AWS::RDS::Snapshot' as const;
export const RDS_SNAPSHOT_KINDS = {
  instance: { configType: 'AWS::RDS::DBSnapshot', arnKind: 'snapshot' },
  cluster: { configType: 'AWS::RDS::DBClusterSnapshot', arnKind: 'cluster-snapshot' },
} as const;
export type RdsSnapshotKind = keyof typeof RDS_SNAPSHOT_KINDS;

export interface RdsSnapshotSnapshot extends Snapshot {
  type: typeof RDS_SNAPSHOT;
  kind: RdsSnapshotKind;
  identifier: string;
  /** `manual`, `automated`, `shared`, `public`…: only manual snapshots can be shared. */
  snapshotType?: string;
  encrypted: boolean;
  /** Who may restore it (the `restore` attribute): account ids, or `all` for anyone. */
  restoreAccounts: string[];
}
