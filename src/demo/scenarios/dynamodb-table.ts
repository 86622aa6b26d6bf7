import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { readTable } from '../../resources/dynamodb-table';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

const describeTable = (ctx: DemoContext, name: string) => async () => {
  const t = await readTable(ctx.clients, ctx, name);
  if (!t) return [`${name}  (gone)`];
  return [`${name}  point-in-time recovery ${t.pointInTimeRecovery ? 'on' : 'OFF'}`];
};

export const dynamoDbTableScenario: DemoScenario = {
  policyId: 'dynamodb-pitr-enabled',
  story: "someone turns off the ledger table's point-in-time recovery to save cost",
  async seed(ctx) {
    const ddb = ctx.clients.get(DynamoDBClient, ctx);
    const pitr = (name: string, on: boolean) =>
      ddb.send(
        new UpdateContinuousBackupsCommand({
          TableName: name,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: on },
        }),
      );
    for (const name of ['demo-ledger', 'demo-catalog']) {
      await ddb.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await pitr(name, true);
    }
    await pitr('demo-ledger', false);
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'dynamodb.amazonaws.com',
        eventName: 'UpdateContinuousBackups',
        requestParameters: {
          tableName: 'demo-ledger',
          pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
        },
        responseElements: null,
      }),
      describe: describeTable(ctx, 'demo-ledger'),
      describeTwin: describeTable(ctx, 'demo-catalog'),
    };
  },
};
