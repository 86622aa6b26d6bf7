import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBSnapshotAttributesCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';

// Shared with rds-not-public (instances only; the one made here is private): no snapshot elsewhere.
const REGION = 'ap-southeast-7';
const PARTNER = '111122223333';

describe('RDS snapshots are not public (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let rds: RDSClient;
  const catalog = defaultCatalog();

  beforeAll(async () => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'rds-snapshot-not-public' ? {} : { enabled: false },
      ]),
    );
    rampart = createRampart({
      clients,
      config: parseConfig(
        { policies: only, compliance: { sweep: { regions: [REGION] } } },
        catalog,
      ),
    });
    rds = new RDSClient({ region: REGION });
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'snap-source-db',
        DBInstanceClass: 'db.t3.micro',
        Engine: 'postgres',
        MasterUsername: 'root',
        MasterUserPassword: 'password-1',
        AllocatedStorage: 20,
        PubliclyAccessible: false,
      }),
    );
  });
  afterAll(() => {
    clients.destroy();
    rds.destroy();
  });

  const snapshot = async (id: string, shareWith: string[]) => {
    await rds.send(
      new CreateDBSnapshotCommand({
        DBSnapshotIdentifier: id,
        DBInstanceIdentifier: 'snap-source-db',
      }),
    );
    if (shareWith.length) {
      await rds.send(
        new ModifyDBSnapshotAttributeCommand({
          DBSnapshotIdentifier: id,
          AttributeName: 'restore',
          ValuesToAdd: shareWith,
        }),
      );
    }
  };
  const restore = async (id: string) =>
    (
      await rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id }))
    ).DBSnapshotAttributesResult!.DBSnapshotAttributes!.find((a) => a.AttributeName === 'restore')
      ?.AttributeValues ?? [];
  const shared = (eventName: string, request: Record<string, unknown>) =>
    cloudTrailEnvelope(
      {
        eventSource: 'rds.amazonaws.com',
        eventName,
        requestParameters: { attributeName: 'restore', valuesToAdd: ['all'], ...request },
      },
      { region: REGION },
    );

  it('stops sharing with all, keeps the named partner account, touches no other snapshot; then is a no-op', async () => {
    await snapshot('orders-nightly', ['all', PARTNER]);
    await snapshot('orders-bystander', ['all']);
    const event = shared('ModifyDBSnapshotAttribute', { dBSnapshotIdentifier: 'orders-nightly' });
    const result = await rampart.evaluator.handleEvent(event);
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'rds-snapshot-not-public',
      status: 'reverted',
      changes: ['stopped sharing DB snapshot orders-nightly with all accounts'],
    });
    expect(await restore('orders-nightly')).toEqual([PARTNER]);
    expect(await restore('orders-bystander')).toEqual(['all']);

    clients.reset();
    const again = await rampart.evaluator.handleEvent(event);
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
  });

  it('a cluster snapshot named by ARN in ModifyDBClusterSnapshotAttribute is made private too', async () => {
    await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'snap-cluster',
        Engine: 'aurora-postgresql',
        MasterUsername: 'root',
        MasterUserPassword: 'password-1',
      }),
    );
    await rds.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterSnapshotIdentifier: 'cluster-weekly',
        DBClusterIdentifier: 'snap-cluster',
      }),
    );
    await rds.send(
      new ModifyDBClusterSnapshotAttributeCommand({
        DBClusterSnapshotIdentifier: 'cluster-weekly',
        AttributeName: 'restore',
        ValuesToAdd: ['all'],
      }),
    );
    const result = await rampart.evaluator.handleEvent(
      shared('ModifyDBClusterSnapshotAttribute', {
        dBClusterSnapshotIdentifier: `arn:aws:rds:${REGION}:123456789012:cluster-snapshot:cluster-weekly`,
      }),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'reverted',
    );
    const attrs = await rds.send(
      new DescribeDBClusterSnapshotAttributesCommand({
        DBClusterSnapshotIdentifier: 'cluster-weekly',
      }),
    );
    expect(
      attrs.DBClusterSnapshotAttributesResult!.DBClusterSnapshotAttributes!.find(
        (a) => a.AttributeName === 'restore',
      )?.AttributeValues ?? [],
    ).toEqual([]);
  });

  it('a share with a named account only is not public; a snapshot that does not exist is not-found', async () => {
    await snapshot('orders-partner-only', [PARTNER]);
    const partner = await rampart.evaluator.handleEvent(
      shared('ModifyDBSnapshotAttribute', { dBSnapshotIdentifier: 'orders-partner-only' }),
    );
    expect(partner.status === 'handled' && partner.resources[0]!.evaluations[0]!.status).toBe(
      'compliant',
    );
    const missing = await rampart.evaluator.handleEvent(
      shared('ModifyDBSnapshotAttribute', { dBSnapshotIdentifier: 'never-taken' }),
    );
    expect(missing.status === 'handled' && missing.resources[0]!.status).toBe('not-found');
  });

  it('the sweep finds the public snapshot, not the private or partner ones', async () => {
    await snapshot('orders-private', []);
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([
      ['orders-bystander', 'violation'],
    ]);
  });
});
