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
  return [`${id}  ${db.publiclyAccessible ? 'publicly accessible' : 'private'}`];
};

export const rdsDatabaseScenario: DemoScenario = {
  policyId: 'rds-not-public',
  story: 'a DBA makes the orders database reachable from the internet for a quick look',
  async seed(ctx) {
    const rds = ctx.clients.get(RDSClient, ctx);
    const create = (id: string, publiclyAccessible: boolean) =>
      rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          DBInstanceClass: 'db.t4g.micro',
          Engine: 'postgres',
          MasterUsername: 'demo',
          MasterUserPassword: 'demo-password-1',
          AllocatedStorage: 20,
          StorageEncrypted: true,
          PubliclyAccessible: publiclyAccessible,
          // ModifyDBInstance also triggers rds-deletion-protection-enabled: shown on its own.
          DeletionProtection: true,
        }),
      );
    await create('demo-orders-db', true);
    await create('demo-reports-db', false);
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'rds.amazonaws.com',
        eventName: 'ModifyDBInstance',
        requestParameters: {
          dBInstanceIdentifier: 'demo-orders-db',
          publiclyAccessible: true,
          applyImmediately: true,
        },
        responseElements: { dBInstanceIdentifier: 'demo-orders-db', publiclyAccessible: true },
      }),
      describe: describeDatabase(ctx, 'demo-orders-db'),
      describeTwin: describeDatabase(ctx, 'demo-reports-db'),
    };
  },
};
