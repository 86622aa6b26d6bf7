import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';
import { answerCommands } from '../support/sdk-answers';

const REGION = 'ca-central-1'; // this file's own region in the shared moto server

// moto ignores UpdateTable's SSESpecification: the enforce case below fills that gap in the
// answers (test/support/sdk-answers.ts); the write's edge cases are tested with a mocked
// client in test/remediators/dynamodb-enable-kms.test.ts.
describe('DynamoDB tables are judged from a fresh DescribeTable (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let ddb: DynamoDBClient;

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    // Encryption is what is tested: point-in-time recovery stays out.
    rampart = createRampart({
      clients,
      config: parseConfig(
        {
          policies: {
            'dynamodb-pitr-enabled': { enabled: false },
            'dynamodb-deletion-protection-enabled': { enabled: false },
          },
        },
        defaultCatalog(),
      ),
    });
    ddb = new DynamoDBClient({ region: REGION });
  });
  afterAll(() => {
    clients.destroy();
    ddb.destroy();
  });

  const createTable = (name: string, kms: boolean) =>
    ddb.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        ...(kms ? { SSESpecification: { Enabled: true, SSEType: 'KMS' } } : {}),
      }),
    );
  const event = (name: string, withKms: boolean) =>
    cloudTrailEnvelope(
      {
        eventSource: 'dynamodb.amazonaws.com',
        eventName: 'CreateTable',
        requestParameters: {
          tableName: name,
          ...(withKms ? { sSESpecification: { enabled: true, sSEType: 'KMS' } } : {}),
        },
        responseElements: { tableDescription: { tableName: name } },
      },
      { region: REGION },
    );

  it('finds a KMS table compliant with one read and no write', async () => {
    await createTable('kms-table', true);
    clients.reset();
    const result = await rampart.evaluator.handleEvent(event('kms-table', true));
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.calls).toEqual(['DescribeTableCommand', 'DescribeContinuousBackupsCommand']);
  });

  it('in dry-run reports an AWS-owned-key table as a violation and writes nothing', async () => {
    await createTable('owned-table', false);
    clients.reset();
    const result = await rampart.evaluator.handleEvent(event('owned-table', false), {
      dryRun: true,
    });
    expect(result.status === 'handled' && result.resources[0]).toMatchObject({
      resource: { type: 'AWS::DynamoDB::Table', id: 'owned-table' },
      decisions: [{ policyId: 'dynamodb-encrypted-kms', action: 'dry-run' }],
    });
    expect(clients.writes()).toEqual([]);
  });

  it('reports a table that no longer exists as not-found', async () => {
    const result = await rampart.evaluator.handleEvent(event('gone-table', false));
    expect(result.status === 'handled' && result.resources[0]!.status).toBe('not-found');
  });

  it('in enforce mode switches the table to the AWS-managed KMS key and verifies it', async () => {
    await createTable('switched-table', false);
    // moto accepts UpdateTable's SSESpecification but keeps the table on the AWS-owned key:
    // DescribeTable answers, as documented, with the KMS status the update started.
    const switched = new Map<string, Record<string, unknown>>();
    answerCommands(clients.get(DynamoDBClient, { region: REGION, account: '123456789012' }), {
      UpdateTableCommand: async (input, moto) => {
        const sse = input.SSESpecification as { SSEType?: string; KMSMasterKeyId?: string };
        if (sse?.SSEType === 'KMS') {
          switched.set(String(input.TableName), {
            Status: 'UPDATING',
            SSEType: 'KMS',
            KMSMasterKeyArn: `arn:aws:kms:${REGION}:123456789012:key/aws-dynamodb`,
          });
        }
        return moto!();
      },
      DescribeTableCommand: async (input, moto) => {
        const out = (await moto!()) as { Table?: Record<string, unknown> };
        const sse = switched.get(String(input.TableName));
        return sse && out.Table ? { ...out, Table: { ...out.Table, SSEDescription: sse } } : out;
      },
    });
    clients.reset();
    const result = await rampart.evaluator.handleEvent(event('switched-table', false));
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      status: 'reverted',
      after: { sseType: 'KMS', status: 'UPDATING' },
    });
    expect(clients.writes()).toEqual(['UpdateTableCommand']);
  });
});
