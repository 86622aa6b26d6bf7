import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { RDS_DATABASE, rdsDatabaseType } from '../../resources/rds-database';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

const describeDatabase = (ctx: DemoContext, id: string) => async () => {
  const db = await rdsDatabaseType.collect(ctx.clients, {
    type: RDS_DATABASE,
    account: ctx.account,
    region: ctx.region,
    id: `db:${id}`,
  });
  if (!db) return [`${id}  (gone)`];
  return [`${id}  deletion protection ${db.deletionProtection ? 'on' : 'OFF'}`];
};

export const rdsDeletionProtectionScenario: DemoScenario = {
  policyId: 'rds-deletion-protection-enabled',
  story: 'someone turns off the billing database’s deletion protection, one step from deleting it',
  async seed(ctx) {
    const rds = ctx.clients.get(RDSClient, ctx);
    const create = (id: string, protect: boolean) =>
      rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          DBInstanceClass: 'db.t4g.micro',
          Engine: 'postgres',
          MasterUsername: 'demo',
          MasterUserPassword: 'demo-password-1',
          AllocatedStorage: 20,
          StorageEncrypted: true,
          PubliclyAccessible: false,
          DeletionProtection: protect,
        }),
      );
    await create('demo-billing-db', false);
    await create('demo-audit-db', true);
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'rds.amazonaws.com',
        eventName: 'ModifyDBInstance',
        requestParameters: {
          dBInstanceIdentifier: 'demo-billing-db',
          deletionProtection: false,
          applyImmediately: true,
        },
        responseElements: { dBInstanceIdentifier: 'demo-billing-db', deletionProtection: false },
      }),
      describe: describeDatabase(ctx, 'demo-billing-db'),
      describeTwin: describeDatabase(ctx, 'demo-audit-db'),
    };
  },
};
