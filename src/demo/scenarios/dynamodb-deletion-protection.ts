import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readTable } from '../../resources/dynamodb-table';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

const describeTable = (ctx: DemoContext, name: string) => async () => {
  const t = await readTable(ctx.clients, ctx, name);
  if (!t) return [`${name}  (gone)`];
  return [`${name}  deletion protection ${t.deletionProtection ? 'on' : 'OFF'}`];
};

export const dynamoDbDeletionProtectionScenario: DemoScenario = {
  policyId: 'dynamodb-deletion-protection-enabled',
  story: "a cleanup script switches off the sessions table's deletion protection",
  async seed(ctx) {
    const ddb = ctx.clients.get(DynamoDBClient, ctx);
    const create = (name: string, protect: boolean) =>
      ddb.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
          // On KMS already: UpdateTable also triggers dynamodb-encrypted-kms.
          SSESpecification: { Enabled: true, SSEType: 'KMS' },
          DeletionProtectionEnabled: protect,
        }),
      );
    await create('demo-sessions', false);
    await create('demo-carts', true);
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'dynamodb.amazonaws.com',
        eventName: 'UpdateTable',
        requestParameters: { tableName: 'demo-sessions', deletionProtectionEnabled: false },
        responseElements: {
          tableDescription: { tableName: 'demo-sessions', deletionProtectionEnabled: false },
        },
      }),
      describe: describeTable(ctx, 'demo-sessions'),
      describeTwin: describeTable(ctx, 'demo-carts'),
    };
  },
};
