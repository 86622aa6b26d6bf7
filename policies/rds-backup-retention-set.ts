import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import { RDS_DATABASE, type RdsDatabaseSnapshot } from '../src/resources/rds-database/snapshot';

export const rdsBackupRetentionSetParameters = z.strictObject({
  /** Fewest days of automated backups accepted (AWS's own control asks for 7). */
  minimumDays: z.number().int().min(1).max(35).default(7),
});

export const rdsBackupRetentionSet = definePolicy<
  RdsDatabaseSnapshot,
  z.output<typeof rdsBackupRetentionSetParameters>
>({
  id: 'rds-backup-retention-set',
  title: 'RDS databases keep automated backups for at least a week',
  description:
    'A DB instance or cluster whose backup retention period is shorter than `minimumDays` (7) violates; 0 means automated backups (and point-in-time restore) are off. An instance of a cluster is judged through its cluster.',
  rationale:
    "Automated backups are what point-in-time restore replays: with one day (RDS's API default) a corruption noticed after a weekend cannot be undone, and with none the database has no restore point at all.",
  severity: 'medium',
  pillar: 'reliability',
  controls: [
    { framework: 'aws-fsbp', id: 'RDS.11' },
    { framework: 'aws-well-architected', id: 'REL09-BP02' },
  ],
  resourceType: RDS_DATABASE,
  triggers: [
    'CreateDBInstance',
    'ModifyDBInstance',
    'RestoreDBInstanceFromDBSnapshot',
    'RestoreDBInstanceToPointInTime',
    'CreateDBCluster',
    'ModifyDBCluster',
  ],
  // Changing the period from 0 restarts the instance (an outage), and longer retention is
  // billed storage: the owner chooses when; reported, not changed.
  defaultMode: 'notify',
  parameters: rdsBackupRetentionSetParameters,
  evaluate(snapshot, { minimumDays }) {
    if (snapshot.kind === 'instance' && snapshot.clusterIdentifier) {
      return notApplicable(`backups are kept by its cluster ${snapshot.clusterIdentifier}`);
    }
    if (snapshot.backupRetentionDays >= minimumDays) return { compliant: true };
    const what = snapshot.kind === 'cluster' ? 'DB cluster' : 'DB instance';
    return {
      compliant: false,
      finding: {
        message:
          snapshot.backupRetentionDays === 0
            ? `RDS ${what} ${snapshot.identifier} has no automated backups (retention 0 days).`
            : `RDS ${what} ${snapshot.identifier} keeps automated backups for ${snapshot.backupRetentionDays} day(s), fewer than ${minimumDays}.`,
        elements: [
          {
            kind: 'backup-retention-period',
            description: `BackupRetentionPeriod ${snapshot.backupRetentionDays}`,
          },
        ],
      },
    };
  },
});
