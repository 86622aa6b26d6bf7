import { ModifyDBClusterCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { defineRemediator } from '../src/engine/definitions';
import {
  RDS_DATABASE,
  rdsDatabaseType,
  type RdsDatabaseSnapshot,
} from '../src/resources/rds-database';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/**
 * Turns DeletionProtection on for the DB instance or cluster, applied immediately (it needs
 * no reboot): the one setting it sends. Data, backups, endpoints and classes stay as they are.
 */
export const rdsEnableDeletionProtection = defineRemediator<RdsDatabaseSnapshot>({
  id: 'rds-enable-deletion-protection',
  description:
    'Turns deletion protection on (ModifyDBInstance or ModifyDBCluster DeletionProtection true).',
  resourceType: RDS_DATABASE,
  iamActions: {
    read: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
    write: ['rds:ModifyDBInstance', 'rds:ModifyDBCluster'],
  },
  remediate: ({ clients, snapshot }) =>
    guarded(snapshot.deletionProtection, async (changes) => {
      const arnKind = snapshot.kind === 'cluster' ? 'cluster' : 'db';
      const what = `DB ${snapshot.kind} ${snapshot.identifier}`;
      const read = () =>
        rdsDatabaseType.collect(clients, {
          ...snapshot.ref,
          type: RDS_DATABASE,
          id: `${arnKind}:${snapshot.identifier}`,
        });
      const before = await read();
      if (!before) return resourceGone(changes, what);
      if (before.deletionProtection) {
        return { status: 'already-compliant', changes, before: true, after: true };
      }
      const rds = clients.get(RDSClient, snapshot.ref);
      await (snapshot.kind === 'cluster'
        ? rds.send(
            new ModifyDBClusterCommand({
              DBClusterIdentifier: snapshot.identifier,
              DeletionProtection: true,
              ApplyImmediately: true,
            }),
          )
        : rds.send(
            new ModifyDBInstanceCommand({
              DBInstanceIdentifier: snapshot.identifier,
              DeletionProtection: true,
              ApplyImmediately: true,
            }),
          ));
      changes.push(`turned on deletion protection of ${what}`);
      const after = await read();
      if (!after?.deletionProtection) {
        return verificationFailed(
          changes,
          false,
          after?.deletionProtection,
          `${what} still has no deletion protection`,
        );
      }
      return { status: 'reverted', changes, before: false, after: true };
    }),
});
