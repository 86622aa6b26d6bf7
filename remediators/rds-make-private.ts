import { ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { defineRemediator } from '../src/engine/definitions';
import {
  RDS_DATABASE,
  rdsDatabaseType,
  type RdsDatabaseSnapshot,
} from '../src/resources/rds-database';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

/**
 * Sets PubliclyAccessible false on the DB instance, applied immediately: the one setting it
 * changes. Data, security groups, subnets and the endpoint name stay as they are.
 */
export const rdsMakePrivate = defineRemediator<RdsDatabaseSnapshot>({
  id: 'rds-make-private',
  description:
    'Makes the DB instance private (ModifyDBInstance PubliclyAccessible false, at once).',
  resourceType: RDS_DATABASE,
  iamActions: { read: ['rds:DescribeDBInstances'], write: ['rds:ModifyDBInstance'] },
  remediate: ({ clients, snapshot }) =>
    guarded(snapshot.publiclyAccessible, async (changes) => {
      const read = () =>
        rdsDatabaseType.collect(clients, {
          ...snapshot.ref,
          type: RDS_DATABASE,
          id: `db:${snapshot.identifier}`,
        });
      const before = await read();
      if (!before) return resourceGone(changes, `DB instance ${snapshot.identifier}`);
      if (before.publiclyAccessible !== true) {
        return { status: 'already-compliant', changes, before: false, after: false };
      }
      await clients.get(RDSClient, snapshot.ref).send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: snapshot.identifier,
          PubliclyAccessible: false,
          ApplyImmediately: true,
        }),
      );
      changes.push(`made DB instance ${snapshot.identifier} private (PubliclyAccessible false)`);
      const after = await read();
      if (!after || after.publiclyAccessible !== false) {
        return verificationFailed(
          changes,
          true,
          after?.publiclyAccessible,
          `DB instance ${snapshot.identifier} is still publicly accessible`,
        );
      }
      return { status: 'reverted', changes, before: true, after: false };
    }),
});
