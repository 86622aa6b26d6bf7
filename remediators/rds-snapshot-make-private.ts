import {
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { defineRemediator } from '../src/engine/definitions';
import {
  RDS_SNAPSHOT,
  readSnapshot,
  type RdsSnapshotSnapshot,
} from '../src/resources/rds-snapshot';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/**
 * Removes `all` from the snapshot's restore attribute: the accounts it was shared with by
 * id keep their access, and the snapshot itself is never copied, changed or deleted.
 */
export const rdsSnapshotMakePrivate = defineRemediator<RdsSnapshotSnapshot>({
  id: 'rds-snapshot-make-private',
  description:
    "Removes `all` from the snapshot's restore attribute (ModifyDB[Cluster]SnapshotAttribute), keeping shares with named accounts.",
  resourceType: RDS_SNAPSHOT,
  iamActions: {
    read: [
      'rds:DescribeDBSnapshots',
      'rds:DescribeDBSnapshotAttributes',
      'rds:DescribeDBClusterSnapshots',
      'rds:DescribeDBClusterSnapshotAttributes',
    ],
    write: ['rds:ModifyDBSnapshotAttribute', 'rds:ModifyDBClusterSnapshotAttribute'],
  },
  remediate: ({ clients, snapshot }) =>
    guarded(snapshot.restoreAccounts, async (changes) => {
      const what = `${snapshot.kind === 'cluster' ? 'DB cluster snapshot' : 'DB snapshot'} ${snapshot.identifier}`;
      const read = () => readSnapshot(clients, snapshot.ref, snapshot.kind, snapshot.identifier);
      const before = await read();
      if (!before) return resourceGone(changes, what);
      if (!before.restoreAccounts.includes('all')) {
        return {
          status: 'already-compliant',
          changes,
          before: before.restoreAccounts,
          after: before.restoreAccounts,
        };
      }
      const rds = clients.get(RDSClient, snapshot.ref);
      const remove = { AttributeName: 'restore', ValuesToRemove: ['all'] };
      await (snapshot.kind === 'cluster'
        ? rds.send(
            new ModifyDBClusterSnapshotAttributeCommand({
              DBClusterSnapshotIdentifier: snapshot.identifier,
              ...remove,
            }),
          )
        : rds.send(
            new ModifyDBSnapshotAttributeCommand({
              DBSnapshotIdentifier: snapshot.identifier,
              ...remove,
            }),
          ));
      changes.push(`stopped sharing ${what} with all accounts`);
      const after = await read();
      const kept = before.restoreAccounts.filter((a) => a !== 'all');
      if (!after || JSON.stringify(after.restoreAccounts) !== JSON.stringify(kept)) {
        return verificationFailed(
          changes,
          before.restoreAccounts,
          after?.restoreAccounts,
          `${what} is still public, or lost a share it should keep`,
        );
      }
      return {
        status: 'reverted',
        changes,
        before: before.restoreAccounts,
        after: after.restoreAccounts,
      };
    }),
});
