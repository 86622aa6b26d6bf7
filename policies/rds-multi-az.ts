import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import { RDS_DATABASE, type RdsDatabaseSnapshot } from '../src/resources/rds-database/snapshot';

export const rdsMultiAz = definePolicy<RdsDatabaseSnapshot, Record<string, never>>({
  id: 'rds-multi-az',
  title: 'RDS DB instances have a standby in a second Availability Zone',
  description:
    'A DB instance that is not Multi-AZ violates. Aurora and Multi-AZ DB clusters and their instances are not applicable (their storage spans three zones; add a reader to fail over to).',
  rationale:
    'A Single-AZ instance is down for the whole of a zone outage or a host failure until it is restored; a Multi-AZ standby takes over in a minute or two with the same endpoint.',
  severity: 'medium',
  pillar: 'reliability',
  controls: [
    { framework: 'aws-fsbp', id: 'RDS.5' },
    { framework: 'aws-well-architected', id: 'REL10-BP01' },
  ],
  resourceType: RDS_DATABASE,
  triggers: [
    'CreateDBInstance',
    'ModifyDBInstance',
    'RestoreDBInstanceFromDBSnapshot',
    'RestoreDBInstanceToPointInTime',
  ],
  // A standby doubles the instance's cost and a dev database may not need one: reported,
  // never changed (converting is a choice of the owner, and of the maintenance window).
  defaultMode: 'notify',
  parameters: z.strictObject({}),
  evaluate(snapshot) {
    if (snapshot.kind === 'cluster' || snapshot.clusterIdentifier) {
      return notApplicable('cluster storage spans three Availability Zones');
    }
    if (snapshot.multiAZ) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `RDS DB instance ${snapshot.identifier} runs in a single Availability Zone (MultiAZ false).`,
        elements: [{ kind: 'multi-az', description: 'MultiAZ: false' }],
      },
    };
  },
});
