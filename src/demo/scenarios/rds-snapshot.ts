import {
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { readSnapshot } from '../../resources/rds-snapshot';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

const PARTNER = '111122223333';

const describeSnapshot = (ctx: DemoContext, id: string) => async () => {
  const s = await readSnapshot(ctx.clients, ctx, 'instance', id);
  if (!s) return [`${id}  (gone)`];
  return [`${id}  restorable by: ${s.restoreAccounts.join(', ') || 'this account only'}`];
};

export const rdsSnapshotScenario: DemoScenario = {
  policyId: 'rds-snapshot-not-public',
  story: 'a snapshot meant for a partner account is shared with everyone instead',
  async seed(ctx) {
    const rds = ctx.clients.get(RDSClient, ctx);
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'demo-crm-db',
        DBInstanceClass: 'db.t4g.micro',
        Engine: 'postgres',
        MasterUsername: 'demo',
        MasterUserPassword: 'demo-password-1',
        AllocatedStorage: 20,
        StorageEncrypted: true,
        PubliclyAccessible: false,
        DeletionProtection: true,
      }),
    );
    const share = async (id: string, accounts: string[]) => {
      await rds.send(
        new CreateDBSnapshotCommand({
          DBSnapshotIdentifier: id,
          DBInstanceIdentifier: 'demo-crm-db',
        }),
      );
      await rds.send(
        new ModifyDBSnapshotAttributeCommand({
          DBSnapshotIdentifier: id,
          AttributeName: 'restore',
          ValuesToAdd: accounts,
        }),
      );
    };
    await share('demo-crm-export', [PARTNER, 'all']);
    await share('demo-crm-partner', [PARTNER]);
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'rds.amazonaws.com',
        eventName: 'ModifyDBSnapshotAttribute',
        requestParameters: {
          dBSnapshotIdentifier: 'demo-crm-export',
          attributeName: 'restore',
          valuesToAdd: [PARTNER, 'all'],
        },
        responseElements: { dBSnapshotIdentifier: 'demo-crm-export' },
      }),
      describe: describeSnapshot(ctx, 'demo-crm-export'),
      describeTwin: describeSnapshot(ctx, 'demo-crm-partner'),
    };
  },
};
