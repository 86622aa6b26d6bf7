import { CreateDBInstanceCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { Sweeper } from '../../src/sweep/sweep';
import { cloudTrailEnvelope } from '../support/cloudtrail';
import { RecordingClients } from '../support/recording-clients';
import { envelopeOf, loadSample } from '../support/samples';

// Shared with rds-deletion-protection-enabled (its databases are left out by prefix).
const REGION = 'mx-central-1';
const POLICIES = ['rds-backup-retention-set', 'rds-multi-az'];

describe('RDS backup retention and Multi-AZ are reported, never changed (moto)', () => {
  let rampart: Rampart;
  let clients: RecordingClients;
  let rds: RDSClient;
  const catalog = defaultCatalog();

  beforeAll(() => {
    clients = new RecordingClients({ maxAttempts: 2 });
    const only = Object.fromEntries(
      [...catalog.policies.keys()].map((p) => [p, POLICIES.includes(p) ? {} : { enabled: false }]),
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
  // Deletion protection on: the other test of the region sweeps for it.
  const create = (id: string, over: { BackupRetentionPeriod?: number; MultiAZ?: boolean }) =>
    rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBInstanceClass: 'db.t3.micro',
        Engine: 'postgres',
        MasterUsername: 'root',
        MasterUserPassword: 'password-1',
        AllocatedStorage: 20,
        DeletionProtection: true,
        ...over,
      }),
    );
  const verdicts = (result: Awaited<ReturnType<Rampart['evaluator']['handleEvent']>>) =>
    result.status === 'handled'
      ? result.resources[0]!.evaluations.map((e) => [e.policyId, e.status])
      : [];

  it('an instance created with defaults (1 day, Single-AZ) → two notices, no write', async () => {
    await create('rnp-defaults', {});
    clients.reset();
    const result = await rampart.evaluator.handleEvent(
      cloudTrailEnvelope(
        {
          eventSource: 'rds.amazonaws.com',
          eventName: 'CreateDBInstance',
          requestParameters: { dBInstanceIdentifier: 'rnp-defaults', engine: 'postgres' },
        },
        { region: REGION },
      ),
    );
    expect(verdicts(result)).toEqual([
      ['rds-backup-retention-set', 'violation'],
      ['rds-multi-az', 'violation'],
    ]);
    expect(
      result.status === 'handled' && result.resources[0]!.outcomes.map((o) => o.status),
    ).toEqual(['notified', 'notified']);
    expect(clients.writes()).toEqual([]);
  });

  it('backups switched off by ModifyDBInstance (retention 0) are reported as none', async () => {
    await create('rnp-switched', { BackupRetentionPeriod: 14, MultiAZ: true });
    await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: 'rnp-switched',
        BackupRetentionPeriod: 0,
        ApplyImmediately: true,
      }),
    );
    const result = await rampart.evaluator.handleEvent(
      cloudTrailEnvelope(
        {
          eventSource: 'rds.amazonaws.com',
          eventName: 'ModifyDBInstance',
          requestParameters: { dBInstanceIdentifier: 'rnp-switched', backupRetentionPeriod: 0 },
        },
        { region: REGION },
      ),
    );
    expect(result.status === 'handled' && result.resources[0]!.evaluations[0]).toMatchObject({
      policyId: 'rds-backup-retention-set',
      status: 'violation',
      violation: {
        message: 'RDS DB instance rnp-switched has no automated backups (retention 0 days).',
      },
    });
    expect(verdicts(result)[1]).toEqual(['rds-multi-az', 'compliant']);
  });

  it('the real CreateDBInstance sample is judged by both (its instance made here)', async () => {
    await create('onenessdb-rnp', { BackupRetentionPeriod: 7, MultiAZ: true });
    const sample = loadSample('custodian__CreateDBInstance__1.json') as {
      requestParameters: Record<string, unknown>;
    };
    const result = await rampart.evaluator.handleEvent(
      envelopeOf({
        ...sample,
        requestParameters: { ...sample.requestParameters, dBInstanceIdentifier: 'onenessdb-rnp' },
        awsRegion: REGION,
        recipientAccountId: '123456789012',
      }),
    );
    expect(verdicts(result)).toEqual([
      ['rds-backup-retention-set', 'compliant'],
      ['rds-multi-az', 'compliant'],
    ]);
  });

  it('the sweep reports exactly the short-retention and Single-AZ instances', async () => {
    const { findings, summary } = await new Sweeper(rampart).run({ remediate: false });
    expect(summary.errors).toEqual([]);
    const mine = findings.filter((f) => f.resourceId.startsWith('rnp-'));
    expect(mine.map((f) => [f.policy, f.resourceId]).sort()).toEqual([
      ['rds-backup-retention-set', 'rnp-defaults'],
      ['rds-backup-retention-set', 'rnp-switched'],
      ['rds-multi-az', 'rnp-defaults'],
    ]);
  });
});
