import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';
import { envelopeOf, loadSample } from '../support/samples';

const REGION = 'mx-central-1'; // shared with the digest render test, which makes no database

describe('RDS DB instances and clusters have deletion protection (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let rds: RDSClient;
  const catalog = defaultCatalog();

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'rds-deletion-protection-enabled' ? {} : { enabled: false },
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
  });
  afterAll(() => {
    clients.destroy();
    rds.destroy();
  });

  const create = (id: string, deletionProtection: boolean) =>
    rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBInstanceClass: 'db.t3.micro',
        Engine: 'mysql',
        MasterUsername: 'root',
        MasterUserPassword: 'password-1',
        AllocatedStorage: 20,
        DeletionProtection: deletionProtection,
      }),
    );
  const instance = async (id: string) =>
    (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0]!;
  const modify = (id: string, deletionProtection: boolean) =>
    cloudTrailEnvelope(
      {
        eventSource: 'rds.amazonaws.com',
        eventName: 'ModifyDBInstance',
        requestParameters: { dBInstanceIdentifier: id, deletionProtection },
      },
      { region: REGION },
    );

  it('protects the instance of the real CreateDBInstance sample, and no other; then is a no-op', async () => {
    await create('onenessdb', false);
    await create('rdp-bystander', false);
    const sample = loadSample('custodian__CreateDBInstance__1.json');
    const result = await rampart.evaluator.handleEvent(
      envelopeOf({ ...sample, awsRegion: REGION, recipientAccountId: '123456789012' }),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'rds-deletion-protection-enabled',
      status: 'reverted',
      changes: ['turned on deletion protection of DB instance onenessdb'],
    });
    const protectedDb = await instance('onenessdb');
    expect(protectedDb.DeletionProtection).toBe(true);
    // Nothing else of the instance changed.
    expect(protectedDb).toMatchObject({ DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20 });
    expect((await instance('rdp-bystander')).DeletionProtection).toBe(false);

    clients.reset();
    const again = await rampart.evaluator.handleEvent(modify('onenessdb', true));
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
  });

  it('turning protection off is reverted within the one ModifyDBInstance event', async () => {
    await create('rdp-switched-off', true);
    await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: 'rdp-switched-off',
        DeletionProtection: false,
        ApplyImmediately: true,
      }),
    );
    const result = await rampart.evaluator.handleEvent(modify('rdp-switched-off', false));
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'reverted',
    );
    expect((await instance('rdp-switched-off')).DeletionProtection).toBe(true);
  });

  it('protects a cluster through ModifyDBCluster; its member instance is left to the cluster', async () => {
    await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'rdp-cluster',
        Engine: 'aurora-postgresql',
        MasterUsername: 'root',
        MasterUserPassword: 'password-1',
      }),
    );
    const result = await rampart.evaluator.handleEvent(
      cloudTrailEnvelope(
        {
          eventSource: 'rds.amazonaws.com',
          eventName: 'ModifyDBCluster',
          requestParameters: { dBClusterIdentifier: 'rdp-cluster', deletionProtection: false },
        },
        { region: REGION },
      ),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      status: 'reverted',
      changes: ['turned on deletion protection of DB cluster rdp-cluster'],
    });
    const cluster = (
      await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'rdp-cluster' }))
    ).DBClusters![0]!;
    expect(cluster.DeletionProtection).toBe(true);
  });

  it('the sweep finds the unprotected instance and not the protected ones', async () => {
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings.map((f) => [f.resourceId, f.status]).sort()).toEqual([
      ['rdp-bystander', 'violation'],
    ]);
  });
});
