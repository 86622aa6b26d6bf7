import { describe, expect, it } from 'vitest';
import { rdsBackupRetentionSet } from '../../policies/rds-backup-retention-set';
import { rdsRef, type RdsDatabaseSnapshot } from '../../src/resources/rds-database';

const db = (over: Partial<RdsDatabaseSnapshot> = {}): RdsDatabaseSnapshot => ({
  type: 'AWS::RDS::Database',
  ref: rdsRef(over.kind ?? 'instance', '123456789012', 'eu-west-1', 'orders'),
  kind: 'instance',
  identifier: 'orders',
  storageEncrypted: true,
  deletionProtection: true,
  backupRetentionDays: 7,
  multiAZ: true,
  ...over,
});
const defaults = rdsBackupRetentionSet.parameters.parse({});

describe('rds-backup-retention-set', () => {
  it('states its metadata: notify, reliability, RDS.11, minimumDays 7', () => {
    expect(rdsBackupRetentionSet).toMatchObject({ defaultMode: 'notify', pillar: 'reliability' });
    expect(rdsBackupRetentionSet.controls).toContainEqual({ framework: 'aws-fsbp', id: 'RDS.11' });
    expect(defaults).toEqual({ minimumDays: 7 });
  });

  it('7 days complies; 1 day (the API default) and 0 violate, each said plainly', () => {
    expect(rdsBackupRetentionSet.evaluate(db(), defaults)).toEqual({ compliant: true });
    const one = rdsBackupRetentionSet.evaluate(db({ backupRetentionDays: 1 }), defaults);
    expect(one.compliant === false && one.finding.message).toBe(
      'RDS DB instance orders keeps automated backups for 1 day(s), fewer than 7.',
    );
    const none = rdsBackupRetentionSet.evaluate(
      db({ kind: 'cluster', backupRetentionDays: 0 }),
      defaults,
    );
    expect(none.compliant === false && none.finding.message).toBe(
      'RDS DB cluster orders has no automated backups (retention 0 days).',
    );
    expect(
      rdsBackupRetentionSet.evaluate(db({ backupRetentionDays: 3 }), { minimumDays: 3 }),
    ).toEqual({ compliant: true });
  });

  it('an instance of a cluster is judged through its cluster', () => {
    expect(
      rdsBackupRetentionSet.evaluate(
        db({ clusterIdentifier: 'aurora-1', backupRetentionDays: 0 }),
        defaults,
      ),
    ).toEqual({ compliant: null, notApplicable: 'backups are kept by its cluster aurora-1' });
  });

  it('rejects a minimum RDS cannot keep (over 35 days), naming the field', () => {
    expect(() => rdsBackupRetentionSet.parameters.parse({ minimumDays: 36 })).toThrow(
      /minimumDays/,
    );
  });
});
