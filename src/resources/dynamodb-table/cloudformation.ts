import type { ResolvedTemplate, TemplateSubject } from '../../cloudformation/resolved';
import {
  knownString,
  physicalName,
  templateSubject,
  TEMPLATE_SCOPE,
} from '../../cloudformation/subjects';
import { tableSnapshot, type DynamoDbTableSnapshot } from './index';
import { isTrue } from '../shared';

type Sse = { SSEEnabled?: unknown; SSEType?: unknown; KMSMasterKeyId?: unknown } | undefined;

/**
 * CloudFormation's SSESpecification as DescribeTable's SSEDescription: enabled means KMS
 * (the only SSEType), absent or disabled means the AWS-owned key (no description).
 */
function sseDescription(spec: Sse) {
  const enabled = spec?.SSEEnabled === true || spec?.SSEEnabled === 'true';
  if (!enabled) return undefined;
  return {
    Status: 'ENABLED' as const,
    SSEType: (knownString(spec?.SSEType) ?? 'KMS') as never,
    KMSMasterKeyArn: knownString(spec?.KMSMasterKeyId),
  };
}

/** `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable` (table-level SSE, replica keys, PITR). */
export function dynamoDbTablesFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<DynamoDbTableSnapshot>[] {
  const subjects: TemplateSubject<DynamoDbTableSnapshot>[] = [];
  for (const r of template.resources) {
    if (r.type !== 'AWS::DynamoDB::Table' && r.type !== 'AWS::DynamoDB::GlobalTable') continue;
    const global = r.type === 'AWS::DynamoDB::GlobalTable';
    subjects.push(
      templateSubject(
        r,
        global
          ? ['SSESpecification', 'Replicas']
          : ['SSESpecification', 'PointInTimeRecoverySpecification', 'DeletionProtectionEnabled'],
        () => {
          const replicas = global
            ? ((r.properties.Replicas ?? []) as Record<string, unknown>[])
            : [];
          const pitrOf = (spec: unknown) =>
            isTrue((spec as Record<string, unknown> | undefined)?.PointInTimeRecoveryEnabled);
          // A global table has PITR per replica: on only where every replica has it.
          const pitr = global
            ? replicas.length > 0 &&
              replicas.every((rep) => pitrOf(rep.PointInTimeRecoverySpecification))
            : pitrOf(r.properties.PointInTimeRecoverySpecification);
          // Deletion protection of a global table is per replica too.
          const deletionProtection = global
            ? replicas.length > 0 && replicas.every((rep) => isTrue(rep.DeletionProtectionEnabled))
            : isTrue(r.properties.DeletionProtectionEnabled);
          return tableSnapshot(
            TEMPLATE_SCOPE.account,
            TEMPLATE_SCOPE.region,
            {
              TableName: physicalName(r, 'TableName'),
              SSEDescription: sseDescription(r.properties.SSESpecification as Sse),
              // The deploying region is unknown here: every replica is listed.
              Replicas: replicas.map((rep) => ({
                RegionName: knownString(rep.Region) ?? '?',
                KMSMasterKeyId: knownString(
                  (rep.SSESpecification as Record<string, unknown> | undefined)?.KMSMasterKeyId,
                ),
              })),
              DeletionProtectionEnabled: deletionProtection,
            },
            pitr,
          );
        },
      ),
    );
  }
  return subjects;
}
