import {
  RDSClient,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  type DBCluster,
  type DBInstance,
} from '@aws-sdk/client-rds';
import type { ResourceEnumerator } from '../../engine/definitions';
import { RDS_DATABASE, RDS_DEFAULTS, rdsRef, type RdsDatabaseSnapshot } from './index';

type Scope = { account: string; region: string };

export function dbClusterSnapshot(scope: Scope, c: DBCluster): RdsDatabaseSnapshot {
  const identifier = c.DBClusterIdentifier!;
  return {
    type: RDS_DATABASE,
    ref: rdsRef('cluster', scope.account, scope.region, identifier),
    kind: 'cluster',
    identifier,
    engine: c.Engine,
    storageEncrypted: c.StorageEncrypted === true,
    kmsKeyId: c.KmsKeyId,
    deletionProtection: c.DeletionProtection === true,
    backupRetentionDays: c.BackupRetentionPeriod ?? RDS_DEFAULTS.backupRetentionDays,
    multiAZ: c.MultiAZ === true,
  };
}

export function dbInstanceSnapshot(scope: Scope, i: DBInstance): RdsDatabaseSnapshot {
  const identifier = i.DBInstanceIdentifier!;
  return {
    type: RDS_DATABASE,
    ref: rdsRef('instance', scope.account, scope.region, identifier),
    kind: 'instance',
    identifier,
    engine: i.Engine,
    storageEncrypted: i.StorageEncrypted === true,
    kmsKeyId: i.KmsKeyId,
    ...(i.DBClusterIdentifier ? { clusterIdentifier: i.DBClusterIdentifier } : {}),
    publiclyAccessible: i.PubliclyAccessible === true,
    deletionProtection: i.DeletionProtection === true,
    backupRetentionDays: i.BackupRetentionPeriod ?? RDS_DEFAULTS.backupRetentionDays,
    multiAZ: i.MultiAZ === true,
  };
}

/** The describe calls list everything with every field the policy needs: no detail calls. */
export const rdsDatabaseEnumerator: ResourceEnumerator<RdsDatabaseSnapshot> = {
  readActions: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
  async *list(clients, scope) {
    const client = clients.get(RDSClient, scope);
    for await (const page of paginateDescribeDBClusters({ client }, { MaxRecords: 100 })) {
      scope.discovered?.(page.DBClusters?.length ?? 0);
      for (const c of page.DBClusters ?? []) {
        if (c.DBClusterIdentifier) yield dbClusterSnapshot(scope, c);
      }
    }
    for await (const page of paginateDescribeDBInstances({ client }, { MaxRecords: 100 })) {
      scope.discovered?.(page.DBInstances?.length ?? 0);
      for (const i of page.DBInstances ?? []) {
        if (i.DBInstanceIdentifier) yield dbInstanceSnapshot(scope, i);
      }
    }
  },
};
