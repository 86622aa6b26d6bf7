import type { Catalog } from '../engine/catalog';
import { partitionOf } from '../domain';
import { findingIdOf } from '../reporters/asff';
import { toOcsfFinding, type OcsfFindingInput } from '../reporters/ocsf';
import type { FindingStatus, SweepReport } from './model';

/** How each sweep status reads in OCSF: what happened, the workflow, the compliance. */
const AS_OCSF: Record<
  FindingStatus,
  Pick<OcsfFindingInput, 'activity' | 'status' | 'compliance'> & { detail?: string }
> = {
  violation: { activity: 'create', status: 'new', compliance: 'fail' },
  failed: { activity: 'create', status: 'new', compliance: 'fail', detail: 'remediation failed' },
  excepted: {
    activity: 'update',
    status: 'suppressed',
    compliance: 'fail',
    detail: 'under an approved exception',
  },
  reverted: { activity: 'close', status: 'resolved', compliance: 'pass' },
};

/**
 * `rampart scan --format ocsf`: one OCSF Compliance Finding per finding, as a JSON array,
 * each with the same uid as its Security Hub finding (consumers deduplicate on it).
 */
export function toScanOcsf(
  report: SweepReport,
  catalog: Catalog,
  version: string,
): Record<string, unknown>[] {
  const time = Date.parse(report.summary.finishedAt);
  return report.findings.flatMap((f) => {
    const policy = catalog.policies.get(f.policy);
    if (!policy) return [];
    const as = AS_OCSF[f.status];
    return [
      toOcsfFinding({
        policy,
        uid: findingIdOf(f.policy, f.arn),
        message: f.message,
        activity: as.activity,
        status: as.status,
        compliance: as.compliance,
        ...(as.detail ? { statusDetail: as.detail } : {}),
        resource: {
          uid: f.arn,
          name: f.resourceId,
          type: f.resourceType,
          region: f.region,
          partition: partitionOf(f.region),
        },
        account: f.account,
        region: f.region,
        time,
        product: { version },
      }),
    ];
  });
}
