import { describe, expect, it } from 'vitest';
import { rdsEncrypted } from '../../policies/rds-encrypted';
import { rdsRef, type RdsDatabaseSnapshot } from '../../src/resources/rds-database';

const db = (over: Partial<RdsDatabaseSnapshot> = {}): RdsDatabaseSnapshot => ({
  type: 'AWS::RDS::Database',
  ref: rdsRef(over.kind ?? 'instance', '123456789012', 'eu-west-1', 'orders-db'),
  kind: 'instance',
  identifier: 'orders-db',
  engine: 'postgres',
  storageEncrypted: false,
  deletionProtection: false,
  backupRetentionDays: 7,
  multiAZ: true,
  ...over,
});
const params = rdsEncrypted.parameters.parse({});

describe('rds-encrypted', () => {
  it('accepts encrypted instances and clusters', () => {
    expect(rdsEncrypted.evaluate(db({ storageEncrypted: true }), params).compliant).toBe(true);
    expect(
      rdsEncrypted.evaluate(db({ kind: 'cluster', storageEncrypted: true }), params).compliant,
    ).toBe(true);
  });

  it('flags an unencrypted instance and explains snapshot-copy-restore', () => {
    const verdict = rdsEncrypted.evaluate(db(), params);
    expect(verdict.compliant).toBe(false);
    if (verdict.compliant !== false) return;
    expect(verdict.finding.message).toMatch(/DB instance orders-db/);
    expect(verdict.finding.message).toMatch(/CopyDBSnapshot --kms-key-id/);
    expect(verdict.finding.message).toMatch(/RestoreDBInstanceFromDBSnapshot/);
  });

  it('flags an unencrypted cluster with the cluster procedure', () => {
    const verdict = rdsEncrypted.evaluate(db({ kind: 'cluster' }), params);
    expect(verdict.compliant).toBe(false);
    if (verdict.compliant !== false) return;
    expect(verdict.finding.message).toMatch(/RestoreDBClusterFromSnapshot/);
  });

  it('leaves a cluster member instance to its cluster', () => {
    expect(rdsEncrypted.evaluate(db({ clusterIdentifier: 'orders-cluster' }), params)).toEqual({
      compliant: null,
      notApplicable:
        'member of cluster orders-cluster, whose storage setting is judged on the cluster',
    });
  });

  it('defaults to notify and has no remediator: nothing can be done in place', () => {
    expect(rdsEncrypted.defaultMode).toBe('notify');
    expect(rdsEncrypted.remediatorId).toBeUndefined();
  });
});
