import {
  CreateDBInstanceCommand,
  DescribeDBInstancesCommand,
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

const REGION = 'ap-southeast-7'; // this file's own region in the shared moto server

describe('RDS DB instances are not publicly accessible (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let rds: RDSClient;
  const catalog = defaultCatalog();

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [
        p,
        p === 'rds-not-public' ? {} : { enabled: false },
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

  const create = (id: string, publiclyAccessible: boolean) =>
    rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBInstanceClass: 'db.t3.micro',
        Engine: 'mysql',
        MasterUsername: 'root',
        MasterUserPassword: 'password-1',
        AllocatedStorage: 20,
        PubliclyAccessible: publiclyAccessible,
      }),
    );
  const isPublic = async (id: string) =>
    (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0]!
      .PubliclyAccessible;

  it('makes the instance of the real CreateDBInstance sample private, and no other; then is a no-op', async () => {
    await create('onenessdb', true);
    await create('rds-bystander', true);
    const sample = loadSample('custodian__CreateDBInstance__1.json');
    const result = await rampart.evaluator.handleEvent(
      // In this test's region and account (moto keeps state per account).
      envelopeOf({ ...sample, awsRegion: REGION, recipientAccountId: '123456789012' }),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]).toMatchObject({
      policyId: 'rds-not-public',
      status: 'reverted',
      changes: ['made DB instance onenessdb private (PubliclyAccessible false)'],
    });
    expect(await isPublic('onenessdb')).toBe(false);
    expect(await isPublic('rds-bystander')).toBe(true);

    clients.reset();
    const again = await rampart.evaluator.handleEvent(
      cloudTrailEnvelope(
        {
          eventSource: 'rds.amazonaws.com',
          eventName: 'ModifyDBInstance',
          requestParameters: { dBInstanceIdentifier: 'onenessdb', publiclyAccessible: false },
        },
        { region: REGION },
      ),
    );
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(clients.writes()).toEqual([]);
  });

  it('the sweep finds the public instance and not the private one', async () => {
    await create('rds-sweep-private', false);
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    expect(findings.map((f) => [f.resourceId, f.status]).sort()).toEqual([
      ['rds-bystander', 'violation'],
    ]);
  });
});
