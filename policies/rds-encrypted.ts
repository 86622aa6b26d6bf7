import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import { RDS_DATABASE, type RdsDatabaseSnapshot } from '../src/resources/rds-database/snapshot';

export const rdsEncryptedParameters = z.strictObject({});
export type RdsEncryptedParameters = z.output<typeof rdsEncryptedParameters>;

/** Why nothing is changed in place, and what a human should do instead. */
export function howToEncrypt(snapshot: RdsDatabaseSnapshot): string {
  return snapshot.kind === 'cluster'
    ? `Encryption cannot be enabled on an existing cluster: snapshot it (CreateDBClusterSnapshot), restore the snapshot as a new cluster with StorageEncrypted and a KMS key (RestoreDBClusterFromSnapshot --kms-key-id), switch clients over, then retire ${snapshot.identifier}.`
    : `Encryption cannot be enabled on an existing instance: snapshot it (CreateDBSnapshot), copy the snapshot with a KMS key (CopyDBSnapshot --kms-key-id), restore the copy as a new instance (RestoreDBInstanceFromDBSnapshot), switch clients over, then retire ${snapshot.identifier}.`;
}

export const rdsEncrypted = definePolicy<RdsDatabaseSnapshot, RdsEncryptedParameters>({
  id: 'rds-encrypted',
  title: 'RDS DB instances and clusters encrypt their storage',
  description:
    'A DB instance or cluster with StorageEncrypted false violates. An instance that belongs to a cluster is judged through its cluster.',
  rationale:
    'Unencrypted storage, snapshots and replicas expose data to anyone who obtains a copy; encryption at rest is required by most compliance frameworks and can only be chosen at creation.',
  severity: 'high',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'RDS.3' },
    { framework: 'aws-fsbp', id: 'RDS.27' },
    { framework: 'cis-aws-foundations-3.0', id: '2.3.1' },
    { framework: 'aws-well-architected', id: 'SEC08-BP02' },
  ],
  resourceType: RDS_DATABASE,
  triggers: [
    'CreateDBInstance',
    'CreateDBInstanceReadReplica',
    'RestoreDBInstanceFromDBSnapshot',
    'RestoreDBInstanceFromS3',
    'RestoreDBInstanceToPointInTime',
    'CreateDBCluster',
    'RestoreDBClusterFromSnapshot',
    'RestoreDBClusterFromS3',
    'RestoreDBClusterToPointInTime',
  ],
  defaultMode: 'notify',
  parameters: rdsEncryptedParameters,
  evaluate(snapshot) {
    if (snapshot.storageEncrypted) return { compliant: true };
    // Aurora instances carry the cluster's setting; the cluster's own evaluation reports it.
    if (snapshot.kind === 'instance' && snapshot.clusterIdentifier) {
      return notApplicable(
        `member of cluster ${snapshot.clusterIdentifier}, whose storage setting is judged on the cluster`,
      );
    }
    const what = snapshot.kind === 'cluster' ? 'DB cluster' : 'DB instance';
    return {
      compliant: false,
      finding: {
        message: `RDS ${what} ${snapshot.identifier} does not encrypt its storage. ${howToEncrypt(snapshot)}`,
        elements: [{ kind: 'storage-encryption', description: 'StorageEncrypted false' }],
      },
    };
  },
});
