import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { RecordingClients } from '../support/recording-clients';
import { envelopeOf, loadSample } from '../support/samples';

const REGION = 'us-west-1'; // shared with the Slack handler test (its tables are left out)

describe('DynamoDB tables have deletion protection (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let ddb: DynamoDBClient;
  const catalog = defaultCatalog();

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'dynamodb-deletion-protection-enabled' ? {} : { enabled: false },
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
  const create = (name: string, deletionProtection = false) =>
    ddb.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: deletionProtection,
      }),
    );
  const table = async (name: string) =>
    (await ddb.send(new DescribeTableCommand({ TableName: name }))).Table!;
  const sampleIn = (file: string) =>
    envelopeOf({ ...loadSample(file), awsRegion: REGION, recipientAccountId: '123456789012' });

  it('protects the table of the real CreateTable sample, and no other; then is a no-op', async () => {
    await create('Music');
    await create('ddp-bystander');
    const result = await rampart.evaluator.handleEvent(
      sampleIn('awsdocs-dynamodb__CreateTable__1.json'),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'dynamodb-deletion-protection-enabled',
      status: 'reverted',
      changes: ['turned on deletion protection of table Music'],
    });
    const music = await table('Music');
    expect(music.DeletionProtectionEnabled).toBe(true);
    expect(music.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect((await table('ddp-bystander')).DeletionProtectionEnabled).toBe(false);

    // The real UpdateTable sample names the table only in its response.
    clients.reset();
    const again = await rampart.evaluator.handleEvent(
      sampleIn('awsdocs-dynamodb__UpdateTable__1.json'),
    );
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
  });

  it('protection turned off by UpdateTable is turned back on', async () => {
    await ddb.send(
      new UpdateTableCommand({ TableName: 'Music', DeletionProtectionEnabled: false }),
    );
    const result = await rampart.evaluator.handleEvent(
      sampleIn('awsdocs-dynamodb__UpdateTable__1.json'),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'reverted',
    );
    expect((await table('Music')).DeletionProtectionEnabled).toBe(true);
  });

  it('the sweep finds the unprotected table, not the protected ones', async () => {
    await create('ddp-sweep-on', true);
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    // Other tests of the region keep tables of their own (Slack's stores): only ours count.
    const mine = findings.filter(
      (f) => f.resourceId.startsWith('ddp-') || f.resourceId === 'Music',
    );
    expect(mine.map((f) => [f.resourceId, f.status])).toEqual([['ddp-bystander', 'violation']]);
  });
});
