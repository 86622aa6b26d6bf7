import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import { RDS_SNAPSHOT, type RdsSnapshotSnapshot } from '../src/resources/rds-snapshot/snapshot';

export const rdsSnapshotNotPublic = definePolicy<RdsSnapshotSnapshot, Record<string, never>>({
  id: 'rds-snapshot-not-public',
  title: 'RDS snapshots are not public',
  description:
    'A manual DB snapshot or DB cluster snapshot whose restore attribute includes `all` violates: any AWS account can copy it and restore the database from it. Shares with named accounts are not judged.',
  rationale:
    'A public snapshot is the whole database, readable by anyone who restores it into their own account; it is one of the most common ways production data leaks from AWS.',
  severity: 'critical',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'RDS.1' },
    { framework: 'aws-well-architected', id: 'SEC08-BP04' },
  ],
  resourceType: RDS_SNAPSHOT,
  triggers: [
    'ModifyDBSnapshotAttribute',
    'ModifyDBClusterSnapshotAttribute',
    'CopyDBSnapshot',
    'CopyDBClusterSnapshot',
  ],
  // Removing `all` takes nothing from the owner or from the accounts it was shared with.
  defaultMode: 'enforce',
  parameters: z.strictObject({}),
  remediatorId: 'rds-snapshot-make-private',
  evaluate(snapshot) {
    if (!snapshot.restoreAccounts.includes('all')) return { compliant: true };
    const what = snapshot.kind === 'cluster' ? 'DB cluster snapshot' : 'DB snapshot';
    return {
      compliant: false,
      finding: {
        message: `RDS ${what} ${snapshot.identifier} is public: any AWS account can restore it.`,
        elements: [
          { kind: 'restore-attribute', id: 'all', description: 'restore shared with all' },
        ],
      },
    };
  },
});
