import { describe, expect, it } from 'vitest';
import { rdsNotPublic } from '../../policies/rds-not-public';
import { rdsRef, type RdsDatabaseSnapshot } from '../../src/resources/rds-database';

const db = (over: Partial<RdsDatabaseSnapshot> = {}): RdsDatabaseSnapshot => ({
  type: 'AWS::RDS::Database',
  ref: rdsRef('instance', '123456789012', 'eu-west-1', 'orders'),
  kind: 'instance',
  identifier: 'orders',
  storageEncrypted: true,
  publiclyAccessible: false,
  deletionProtection: false,
  backupRetentionDays: 7,
  multiAZ: true,
  ...over,
});
const params = rdsNotPublic.parameters.parse({});

describe('rds-not-public', () => {
  it('states its id, metadata and defaults', () => {
    expect(rdsNotPublic).toMatchObject({
      id: 'rds-not-public',
      defaultMode: 'enforce',
      remediatorId: 'rds-make-private',
      severity: 'critical',
    });
    expect(rdsNotPublic.controls).toContainEqual({ framework: 'aws-fsbp', id: 'RDS.2' });
  });

  it('is compliant for a private instance, violates for a public one', () => {
    expect(rdsNotPublic.evaluate(db(), params)).toEqual({ compliant: true });
    const verdict = rdsNotPublic.evaluate(db({ publiclyAccessible: true }), params);
    expect(verdict.compliant).toBe(false);
    if (verdict.compliant !== false) return;
    expect(verdict.finding.message).toBe(
      'RDS DB instance orders is publicly accessible (PubliclyAccessible true).',
    );
  });

  it('a cluster is not applicable: its instances are judged', () => {
    const verdict = rdsNotPublic.evaluate(
      db({ kind: 'cluster', ref: rdsRef('cluster', '123456789012', 'eu-west-1', 'c') }),
      params,
    );
    expect(verdict.compliant).toBeNull();
  });
});
