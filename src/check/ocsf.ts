import type { Catalog } from '../engine/catalog';
import { toOcsfFinding, type OcsfFindingInput } from '../reporters/ocsf';
import { uriOf } from './format';
import type { CheckFinding, CheckReport } from './index';

const SUPPRESSION_POLICY = {
  id: 'rampart-suppression',
  title: 'Suppressions must name a policy and give a reason',
  rationale:
    'Metadata.rampart.suppress entries need an id that is a policy id and a non-empty reason.',
  controls: [],
} as const;

function asOcsf(
  f: CheckFinding,
): Pick<OcsfFindingInput, 'activity' | 'status' | 'compliance' | 'statusDetail'> {
  switch (f.status) {
    case 'suppressed':
      return {
        activity: 'update',
        status: 'suppressed',
        compliance: 'fail',
        statusDetail: `suppressed in the template: ${f.suppressionReason ?? ''}`,
      };
    case 'unknown':
      return { activity: 'create', status: 'new', compliance: 'unknown', statusDetail: f.message };
    case 'error':
      // An error is never compliant: its status is unknown, with why.
      return {
        activity: 'create',
        status: 'new',
        compliance: 'unknown',
        statusDetail: `error: ${f.message}`,
      };
    default:
      return { activity: 'create', status: 'new', compliance: 'fail' };
  }
}

/**
 * `rampart check --format ocsf`: one OCSF Compliance Finding per template finding, as a JSON
 * array. Not-applicable pairs are left out (OCSF has no such compliance status), as in the
 * text output. A template resource has no ARN: it is named by file and logical id.
 */
export function toCheckOcsf(
  report: CheckReport,
  catalog: Catalog,
  version: string,
  time: number,
  baseDir = process.cwd(),
): Record<string, unknown>[] {
  return report.findings
    .filter((f) => f.status !== 'not-applicable')
    .map((f) => {
      const file = uriOf(f.file, baseDir);
      const policy = catalog.policies.get(f.ruleId) ?? {
        ...SUPPRESSION_POLICY,
        severity: f.severity,
      };
      return toOcsfFinding({
        policy,
        uid: `rampart/${f.ruleId}/${file}#${f.logicalId}`,
        message: f.message,
        ...asOcsf(f),
        resource: {
          uid: `${file}#${f.logicalId}`,
          name: f.logicalId,
          type: f.cfnType,
          data: { file, line: f.line },
        },
        time,
        product: { version },
      });
    });
}
