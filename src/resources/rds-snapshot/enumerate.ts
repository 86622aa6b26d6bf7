import {
  RDSClient,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
} from '@aws-sdk/client-rds';
import type { ResourceEnumerator } from '../../engine/definitions';
import { readEach } from '../enumeration';
import { readRestoreAccounts, snapshotOf } from './index';
import type { RdsSnapshotSnapshot } from './snapshot';

/**
 * Manual snapshots only (automated ones cannot be shared), 100 a page; who may restore each
 * needs one attributes call per snapshot.
 */
export const rdsSnapshotEnumerator: ResourceEnumerator<RdsSnapshotSnapshot> = {
  readActions: [
    'rds:DescribeDBSnapshots',
    'rds:DescribeDBSnapshotAttributes',
    'rds:DescribeDBClusterSnapshots',
    'rds:DescribeDBClusterSnapshotAttributes',
  ],
  async *list(clients, scope) {
    const client = clients.get(RDSClient, scope);
    for await (const page of paginateDescribeDBSnapshots(
      { client },
      { SnapshotType: 'manual', MaxRecords: 100 },
    )) {
      const snapshots = (page.DBSnapshots ?? []).filter((s) => s.DBSnapshotIdentifier);
      yield* await readEach(scope, snapshots, async (s) =>
        snapshotOf(
          scope,
          'instance',
          { ...s, identifier: s.DBSnapshotIdentifier! },
          await readRestoreAccounts(clients, scope, 'instance', s.DBSnapshotIdentifier!),
        ),
      );
    }
    for await (const page of paginateDescribeDBClusterSnapshots(
      { client },
      { SnapshotType: 'manual', MaxRecords: 100 },
    )) {
      const snapshots = (page.DBClusterSnapshots ?? []).filter(
        (s) => s.DBClusterSnapshotIdentifier,
      );
      yield* await readEach(scope, snapshots, async (s) =>
        snapshotOf(
          scope,
          'cluster',
          {
            SnapshotType: s.SnapshotType,
            Encrypted: s.StorageEncrypted,
            identifier: s.DBClusterSnapshotIdentifier!,
          },
          await readRestoreAccounts(clients, scope, 'cluster', s.DBClusterSnapshotIdentifier!),
        ),
      );
    }
  },
};
