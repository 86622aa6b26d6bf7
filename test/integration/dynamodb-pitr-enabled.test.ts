import {
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { RecordingClients } from '../support/recording-clients';
import { envelopeOf, loadSample } from '../support/samples';

const REGION = 'ap-southeast-7'; // shared with rds-not-public: no table elsewhere in it

describe('DynamoDB tables have point-in-time recovery (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let ddb: DynamoDBClient;
  const catalog = defaultCatalog();

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'dynamodb-pitr-enabled' ? {} : { enabled: false },
      ]),
    );
    rampart = createRampart({
      clients,
      config: parseConfig(
        { policies: only, compliance: { sweep: { regions: [REGION] } } },
        catalog,
      ),
    });
    ddb = new DynamoDBClient({ region: REGION });
  });
  afterAll(() => {
    clients.destroy();
    ddb.destroy();
  });
  const create = (name: string) =>
    ddb.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  const pitr = async (name: string) =>
    (await ddb.send(new DescribeContinuousBackupsCommand({ TableName: name })))
      .ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus;

  it('turns PITR on for the table of the real CreateTable sample, and for no other; then is a no-op', async () => {
    await create('Music');
    await create('pitr-bystander');
    const record = loadSample('awsdocs-dynamodb__CreateTable__1.json'); // a bare record
    const result = await rampart.evaluator.handleEvent(
      envelopeOf({ ...record, awsRegion: REGION, recipientAccountId: '123456789012' }),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'dynamodb-pitr-enabled',
      status: 'reverted',
      changes: ['turned on point-in-time recovery of table Music'],
    });
    expect(await pitr('Music')).toBe('ENABLED');
    expect(await pitr('pitr-bystander')).toBe('DISABLED');

    clients.reset();
    const again = await rampart.evaluator.handleEvent(
      envelopeOf({ ...record, awsRegion: REGION, recipientAccountId: '123456789012' }),
    );
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
  });

  it('the sweep finds the table without PITR, not the one with it', async () => {
    await create('pitr-sweep-on');
    await ddb.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'pitr-sweep-on',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([
      ['pitr-bystander', 'violation'],
    ]);
  });
});
