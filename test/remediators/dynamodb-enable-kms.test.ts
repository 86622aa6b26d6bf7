import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { cloudTrailEnvelope } from '../support/cloudtrail';

// moto's UpdateTable ignores SSESpecification (docs/testing.md), so the DynamoDB API is
// mocked here with the documented DescribeTable/UpdateTable shapes.
const ddb = mockClient(DynamoDBClient);
const REGION = 'eu-west-3';
const ARN = `arn:aws:dynamodb:${REGION}:123456789012:table/orders`;
const owned: TableDescription = { TableName: 'orders', TableArn: ARN, TableStatus: 'ACTIVE' };
const kms = (status: 'UPDATING' | 'ENABLED'): TableDescription => ({
  ...owned,
  SSEDescription: {
    Status: status,
    SSEType: 'KMS',
    KMSMasterKeyArn: `arn:aws:kms:${REGION}:123456789012:key/1234`,
  },
});

// The documented UpdateTable record: the table is named only in responseElements.
const updateTableEvent = () =>
  cloudTrailEnvelope(
    {
      eventSource: 'dynamodb.amazonaws.com',
      eventName: 'UpdateTable',
      requestParameters: {
        provisionedThroughput: { writeCapacityUnits: 25, readCapacityUnits: 25 },
      },
      responseElements: { tableDescription: { tableName: 'orders', tableStatus: 'UPDATING' } },
    },
    { region: REGION },
  );

describe('dynamodb-enable-kms (DynamoDB mocked)', () => {
  let rampart: Rampart;
  beforeAll(() => {
    rampart = createRampart({
      clients: new AwsClients({ maxAttempts: 1 }),
      config: parseConfig(
        {
          policies: {
            'dynamodb-encrypted-kms': { parameters: { kmsKeyArn: 'alias/orders' } },
            'dynamodb-deletion-protection-enabled': { enabled: false },
          },
        },
        defaultCatalog(),
      ),
    });
  });
  afterEach(() => ddb.reset());
  // Every table read includes its continuous backups (point-in-time recovery on here).
  beforeEach(() => {
    ddb.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
      },
    });
  });
  afterAll(() => {
    ddb.restore();
    rampart.clients.destroy();
  });

  const outcomeOf = async () => {
    const result = await rampart.evaluator.handleEvent(updateTableEvent());
    if (result.status !== 'handled') throw new Error(`not handled: ${JSON.stringify(result)}`);
    return result.resources[0]!.outcomes[0]!;
  };

  it('switches an AWS-owned-key table to the configured KMS key and verifies it', async () => {
    ddb
      .on(DescribeTableCommand)
      .resolvesOnce({ Table: owned })
      .resolvesOnce({ Table: owned })
      .resolves({ Table: kms('UPDATING') });
    ddb.on(UpdateTableCommand).resolves({ TableDescription: kms('UPDATING') });
    const outcome = await outcomeOf();
    expect(outcome).toMatchObject({
      status: 'reverted',
      before: {},
      after: { sseType: 'KMS', status: 'UPDATING' },
    });
    expect(ddb.commandCalls(UpdateTableCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: 'orders',
        SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/orders' },
      },
    ]);
  });

  it('writes nothing when the table is already on KMS', async () => {
    ddb.on(DescribeTableCommand).resolves({ Table: kms('ENABLED') });
    expect((await outcomeOf()).status).toBe('already-compliant');
    expect(ddb.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it('fails with the AWS error when UpdateTable is refused', async () => {
    ddb.on(DescribeTableCommand).resolves({ Table: owned });
    ddb.on(UpdateTableCommand).rejects(
      Object.assign(new Error('User is not authorized to perform dynamodb:UpdateTable'), {
        name: 'AccessDeniedException',
      }),
    );
    const outcome = await outcomeOf();
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe(
      'AccessDeniedException: User is not authorized to perform dynamodb:UpdateTable',
    );
  });

  it('fails verification when the table still reports the AWS-owned key (what moto does)', async () => {
    ddb.on(DescribeTableCommand).resolves({ Table: owned });
    ddb.on(UpdateTableCommand).resolves({ TableDescription: owned });
    const outcome = await outcomeOf();
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(
      /^verification failed: table orders still reports SSE AWS-owned key/,
    );
    expect(outcome.changes).toHaveLength(1);
  });
});
