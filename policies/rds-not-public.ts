import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import { RDS_DATABASE, type RdsDatabaseSnapshot } from '../src/resources/rds-database/snapshot';

export const rdsNotPublic = definePolicy<RdsDatabaseSnapshot, Record<string, never>>({
  id: 'rds-not-public',
  title: 'RDS DB instances are not publicly accessible',
  description:
    'A DB instance with PubliclyAccessible true violates: its endpoint resolves to a public address, reachable from the internet wherever its security groups allow.',
  rationale:
    'A database reachable from the internet is one security-group rule away from exposure and is scanned and brute-forced continuously; applications reach it from inside the VPC.',
  severity: 'critical',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'RDS.2' },
    { framework: 'cis-aws-foundations-3.0', id: '2.3.3' },
    { framework: 'aws-well-architected', id: 'SEC05-BP02' },
  ],
  resourceType: RDS_DATABASE,
  triggers: [
    'CreateDBInstance',
    'ModifyDBInstance',
    'CreateDBInstanceReadReplica',
    'RestoreDBInstanceFromDBSnapshot',
    'RestoreDBInstanceToPointInTime',
  ],
  // A public database is an open door; clients inside the VPC keep working when it closes.
  defaultMode: 'enforce',
  parameters: z.strictObject({}),
  remediatorId: 'rds-make-private',
  evaluate(snapshot) {
    if (snapshot.kind !== 'instance') {
      return notApplicable('a cluster is reached through its instances, which are judged');
    }
    if (snapshot.publiclyAccessible !== true) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `RDS DB instance ${snapshot.identifier} is publicly accessible (PubliclyAccessible true).`,
        elements: [{ kind: 'publicly-accessible', description: 'PubliclyAccessible: true' }],
      },
    };
  },
});
