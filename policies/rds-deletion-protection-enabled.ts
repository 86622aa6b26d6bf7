import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import { RDS_DATABASE, type RdsDatabaseSnapshot } from '../src/resources/rds-database/snapshot';

export const rdsDeletionProtectionEnabled = definePolicy<
  RdsDatabaseSnapshot,
  Record<string, never>
>({
  id: 'rds-deletion-protection-enabled',
  title: 'RDS DB instances and clusters have deletion protection',
  description:
    'A DB instance or cluster with DeletionProtection off violates; an instance of a cluster is protected by its cluster, which is judged instead.',
  rationale:
    'DeleteDBInstance with SkipFinalSnapshot removes a database and its automated backups at once; deletion protection makes the delete fail until someone turns it off on purpose.',
  severity: 'medium',
  pillar: 'reliability',
  controls: [
    { framework: 'aws-fsbp', id: 'RDS.8' },
    { framework: 'aws-fsbp', id: 'RDS.7' },
    { framework: 'aws-well-architected', id: 'REL09-BP01' },
  ],
  resourceType: RDS_DATABASE,
  triggers: [
    'CreateDBInstance',
    'ModifyDBInstance',
    'CreateDBInstanceReadReplica',
    'RestoreDBInstanceFromDBSnapshot',
    'RestoreDBInstanceFromS3',
    'RestoreDBInstanceToPointInTime',
    'CreateDBCluster',
    'ModifyDBCluster',
    'RestoreDBClusterFromSnapshot',
    'RestoreDBClusterFromS3',
    'RestoreDBClusterToPointInTime',
  ],
  // Turning it on needs no reboot and changes nothing else; a database meant to be deleted
  // gets an exception first.
  defaultMode: 'enforce',
  parameters: z.strictObject({}),
  remediatorId: 'rds-enable-deletion-protection',
  evaluate(snapshot) {
    if (snapshot.kind === 'instance' && snapshot.clusterIdentifier) {
      return notApplicable(
        `deletion protection is set on its cluster ${snapshot.clusterIdentifier}`,
      );
    }
    if (snapshot.deletionProtection) return { compliant: true };
    const what = snapshot.kind === 'cluster' ? 'DB cluster' : 'DB instance';
    return {
      compliant: false,
      finding: {
        message: `RDS ${what} ${snapshot.identifier} has no deletion protection.`,
        elements: [{ kind: 'deletion-protection', description: 'DeletionProtection: false' }],
      },
    };
  },
});
