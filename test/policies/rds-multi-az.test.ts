import { describe, expect, it } from 'vitest';
import { rdsMultiAz } from '../../policies/rds-multi-az';
import { rdsRef, type RdsDatabaseSnapshot } from '../../src/resources/rds-database';

const db = (over: Partial<RdsDatabaseSnapshot> = {}): RdsDatabaseSnapshot => ({
  type: 'AWS::RDS::Database',
  ref: rdsRef(over.kind ?? 'instance', '123456789012', 'eu-west-1', 'orders'),
  kind: 'instance',
  identifier: 'orders',
  storageEncrypted: true,
  deletionProtection: true,
  backupRetentionDays: 7,
  multiAZ: false,
  ...over,
});

describe('rds-multi-az', () => {
  it('states its metadata: notify, reliability, RDS.5, no remediator', () => {
    expect(rdsMultiAz).toMatchObject({ defaultMode: 'notify', pillar: 'reliability' });
    expect(rdsMultiAz.remediatorId).toBeUndefined();
    expect(rdsMultiAz.controls).toContainEqual({ framework: 'aws-fsbp', id: 'RDS.5' });
  });

  it('a Multi-AZ instance complies; a Single-AZ one violates', () => {
    expect(rdsMultiAz.evaluate(db({ multiAZ: true }), {})).toEqual({ compliant: true });
    const v = rdsMultiAz.evaluate(db(), {});
    expect(v.compliant === false && v.finding.message).toBe(
      'RDS DB instance orders runs in a single Availability Zone (MultiAZ false).',
    );
  });

  it('clusters and their instances are not applicable', () => {
    const na = { compliant: null, notApplicable: 'cluster storage spans three Availability Zones' };
    expect(rdsMultiAz.evaluate(db({ kind: 'cluster' }), {})).toEqual(na);
    expect(rdsMultiAz.evaluate(db({ clusterIdentifier: 'aurora-1' }), {})).toEqual(na);
  });
});
