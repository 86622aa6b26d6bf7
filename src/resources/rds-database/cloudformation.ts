import type { ResolvedTemplate, TemplateSubject } from '../../cloudformation/resolved';
import { knownString, physicalName, templateSubject } from '../../cloudformation/subjects';
import {
  RDS_DATABASE,
  RDS_DEFAULTS,
  rdsRef,
  type RdsDatabaseSnapshot,
  type RdsKind,
} from './index';
import { isTrue, numberOr } from '../shared';

const KIND_OF: Record<string, { kind: RdsKind; nameKey: string }> = {
  'AWS::RDS::DBInstance': { kind: 'instance', nameKey: 'DBInstanceIdentifier' },
  'AWS::RDS::DBCluster': { kind: 'cluster', nameKey: 'DBClusterIdentifier' },
};

/** Properties whose presence makes encryption come from elsewhere than `StorageEncrypted`. */
const INHERITED = [
  'SnapshotIdentifier',
  'DBSnapshotIdentifier',
  'SourceDBInstanceIdentifier',
  'SourceDBClusterIdentifier',
  'DBClusterSnapshotIdentifier',
];

/** `AWS::RDS::DBInstance` / `DBCluster` `StorageEncrypted`. */
export function rdsDatabasesFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<RdsDatabaseSnapshot>[] {
  const subjects: TemplateSubject<RdsDatabaseSnapshot>[] = [];
  for (const r of template.resources) {
    const k = KIND_OF[r.type];
    if (!k) continue;
    // A restore or read replica takes its encryption from the source, which a template cannot show.
    const from = INHERITED.find((p) => r.properties[p] !== undefined);
    if (from && r.properties.StorageEncrypted === undefined) {
      subjects.push({
        logicalId: r.logicalId,
        line: r.line,
        cfnType: r.type,
        unknown: `StorageEncrypted: inherited from ${from}, which the template does not describe`,
      });
      continue;
    }
    subjects.push(
      templateSubject(
        r,
        [
          'StorageEncrypted',
          'DBClusterIdentifier',
          'PubliclyAccessible',
          'DeletionProtection',
          'BackupRetentionPeriod',
          'MultiAZ',
        ],
        () => {
          const identifier = physicalName(r, k.nameKey);
          const encrypted = r.properties.StorageEncrypted;
          const cluster =
            k.kind === 'instance' ? knownString(r.properties.DBClusterIdentifier) : undefined;
          return {
            type: RDS_DATABASE,
            ref: rdsRef(k.kind, '', '', identifier),
            kind: k.kind,
            identifier,
            engine: knownString(r.properties.Engine),
            storageEncrypted: isTrue(encrypted),
            kmsKeyId: knownString(r.properties.KmsKeyId),
            deletionProtection: isTrue(r.properties.DeletionProtection),
            backupRetentionDays: numberOr(
              r.properties.BackupRetentionPeriod,
              RDS_DEFAULTS.backupRetentionDays,
            ),
            multiAZ: isTrue(r.properties.MultiAZ),
            ...(cluster ? { clusterIdentifier: cluster } : {}),
            // Absent: private unless the instance lands in a default VPC's public subnet,
            // which a template alone does not show; only an explicit true is judged public.
            ...(k.kind === 'instance'
              ? {
                  publiclyAccessible: isTrue(r.properties.PubliclyAccessible),
                }
              : {}),
          };
        },
      ),
    );
  }
  return subjects;
}
