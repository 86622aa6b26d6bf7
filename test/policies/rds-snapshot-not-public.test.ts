import { describe, expect, it } from 'vitest';
import { rdsSnapshotNotPublic } from '../../policies/rds-snapshot-not-public';
import { rdsSnapshotRef, type RdsSnapshotSnapshot } from '../../src/resources/rds-snapshot';

const snap = (
  restoreAccounts: string[],
  kind: 'instance' | 'cluster' = 'instance',
): RdsSnapshotSnapshot => ({
  type: 'AWS::RDS::Snapshot',
  ref: rdsSnapshotRef(kind, '123456789012', 'eu-west-1', 'orders-nightly'),
  kind,
  identifier: 'orders-nightly',
  snapshotType: 'manual',
  encrypted: true,
  restoreAccounts,
});

describe('rds-snapshot-not-public', () => {
  it('states its metadata: enforce, security, critical, RDS.1', () => {
    expect(rdsSnapshotNotPublic).toMatchObject({
      defaultMode: 'enforce',
      pillar: 'security',
      severity: 'critical',
      remediatorId: 'rds-snapshot-make-private',
    });
    expect(rdsSnapshotNotPublic.controls).toContainEqual({ framework: 'aws-fsbp', id: 'RDS.1' });
  });

  it('private or shared with named accounts complies; shared with all violates', () => {
    expect(rdsSnapshotNotPublic.evaluate(snap([]), {})).toEqual({ compliant: true });
    expect(rdsSnapshotNotPublic.evaluate(snap(['111122223333']), {})).toEqual({ compliant: true });
    const v = rdsSnapshotNotPublic.evaluate(snap(['111122223333', 'all']), {});
    expect(v.compliant === false && v.finding.message).toBe(
      'RDS DB snapshot orders-nightly is public: any AWS account can restore it.',
    );
    const c = rdsSnapshotNotPublic.evaluate(snap(['all'], 'cluster'), {});
    expect(c.compliant === false && c.finding.message).toBe(
      'RDS DB cluster snapshot orders-nightly is public: any AWS account can restore it.',
    );
  });

  it('the ref names the snapshot ARN of its kind', () => {
    expect(snap([], 'cluster').ref.arn).toBe(
      'arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:orders-nightly',
    );
    expect(snap([]).ref.arn).toBe('arn:aws:rds:eu-west-1:123456789012:snapshot:orders-nightly');
  });
});
