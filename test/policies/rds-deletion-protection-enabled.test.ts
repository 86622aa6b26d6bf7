import { describe, expect, it } from 'vitest';
import { rdsDeletionProtectionEnabled } from '../../policies/rds-deletion-protection-enabled';
import { rdsRef, type RdsDatabaseSnapshot } from '../../src/resources/rds-database';

const db = (over: Partial<RdsDatabaseSnapshot> = {}): RdsDatabaseSnapshot => ({
  type: 'AWS::RDS::Database',
  ref: rdsRef(over.kind ?? 'instance', '123456789012', 'eu-west-1', 'orders'),
  kind: 'instance',
  identifier: 'orders',
  storageEncrypted: true,
  deletionProtection: false,
  backupRetentionDays: 7,
  multiAZ: true,
  ...over,
});
const params = rdsDeletionProtectionEnabled.parameters.parse({});

describe('rds-deletion-protection-enabled', () => {
  it('states its metadata: enforce, reliability, RDS.8 and RDS.7', () => {
    expect(rdsDeletionProtectionEnabled).toMatchObject({
      defaultMode: 'enforce',
      pillar: 'reliability',
      remediatorId: 'rds-enable-deletion-protection',
    });
    expect(rdsDeletionProtectionEnabled.controls.map((c) => c.id)).toEqual(
      expect.arrayContaining(['RDS.8', 'RDS.7']),
    );
  });

  it('a protected instance or cluster complies; an unprotected one violates', () => {
    expect(rdsDeletionProtectionEnabled.evaluate(db({ deletionProtection: true }), params)).toEqual(
      { compliant: true },
    );
    const instance = rdsDeletionProtectionEnabled.evaluate(db(), params);
    expect(instance.compliant === false && instance.finding.message).toBe(
      'RDS DB instance orders has no deletion protection.',
    );
    const cluster = rdsDeletionProtectionEnabled.evaluate(db({ kind: 'cluster' }), params);
    expect(cluster.compliant === false && cluster.finding.message).toBe(
      'RDS DB cluster orders has no deletion protection.',
    );
  });

  it('an instance of a cluster is not applicable: its cluster is judged', () => {
    const v = rdsDeletionProtectionEnabled.evaluate(db({ clusterIdentifier: 'aurora-1' }), params);
    expect(v).toEqual({
      compliant: null,
      notApplicable: 'deletion protection is set on its cluster aurora-1',
    });
  });
});
