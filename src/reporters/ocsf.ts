import type { AnyPolicy } from '../engine/definitions';
import { FRAMEWORKS, requirementOf } from '../engine/frameworks';

/**
 * OCSF 1.1.0 Compliance Findings (class 2003) — pure mapping. `rampart scan` and
 * `rampart check` assess configuration against controls, which is what class 2003 is for;
 * Detection Finding (2004) is for detected activity and is not what either emits (see
 * docs/findings.md). Enumerations as the OCSF 1.1.0 dictionary defines them.
 */
export const OCSF_SCHEMA_VERSION = '1.1.0';

const CLASS = {
  category_uid: 2,
  category_name: 'Findings',
  class_uid: 2003,
  class_name: 'Compliance Finding',
} as const;

/** activity_id: what happened to the finding. */
export const OCSF_ACTIVITY = { create: 1, update: 2, close: 3 } as const;
const ACTIVITY_NAMES = { 1: 'Create', 2: 'Update', 3: 'Close' } as const;

/** status_id of the finding (its workflow). */
export const OCSF_STATUS = { new: 1, inProgress: 2, suppressed: 3, resolved: 4 } as const;
const STATUS_NAMES = { 1: 'New', 2: 'In Progress', 3: 'Suppressed', 4: 'Resolved' } as const;

/** compliance.status_id. */
export const OCSF_COMPLIANCE = { unknown: 0, pass: 1, warning: 2, fail: 3 } as const;
const COMPLIANCE_NAMES = { 0: 'Unknown', 1: 'Pass', 2: 'Warning', 3: 'Fail' } as const;

const SEVERITY_IDS: Record<AnyPolicy['severity'], number> = {
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
};
const SEVERITY_NAMES: Record<number, string> = { 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical' };

/** What one OCSF finding is about, whichever command produced it. */
export interface OcsfFindingInput {
  policy: Pick<AnyPolicy, 'id' | 'title' | 'severity' | 'rationale' | 'controls'>;
  /** Stable per (policy, resource): consumers deduplicate on it. */
  uid: string;
  message: string;
  activity: keyof typeof OCSF_ACTIVITY;
  status: keyof typeof OCSF_STATUS;
  compliance: keyof typeof OCSF_COMPLIANCE;
  /** Why the compliance status is what it is, when it is not plain (an error, a suppression). */
  statusDetail?: string;
  resource: {
    uid: string;
    name: string;
    type: string;
    region?: string;
    partition?: string;
    /** Where it is in a template (shift-left findings). */
    data?: Record<string, unknown>;
  };
  account?: string;
  region?: string;
  /** Epoch milliseconds. */
  time: number;
  product: { version: string };
}

/** One OCSF 1.1.0 Compliance Finding object. */
export function toOcsfFinding(input: OcsfFindingInput): Record<string, unknown> {
  const activity = OCSF_ACTIVITY[input.activity];
  const status = OCSF_STATUS[input.status];
  const compliance = OCSF_COMPLIANCE[input.compliance];
  const severity = SEVERITY_IDS[input.policy.severity];
  const standards = [...new Set(input.policy.controls.map((c) => FRAMEWORKS[c.framework].title))];
  const { resource } = input;
  return {
    ...CLASS,
    activity_id: activity,
    activity_name: ACTIVITY_NAMES[activity],
    type_uid: CLASS.class_uid * 100 + activity,
    type_name: `${CLASS.class_name}: ${ACTIVITY_NAMES[activity]}`,
    severity_id: severity,
    severity: SEVERITY_NAMES[severity],
    status_id: status,
    status: STATUS_NAMES[status],
    time: input.time,
    message: input.message,
    metadata: {
      version: OCSF_SCHEMA_VERSION,
      profiles: ['cloud'],
      product: { name: 'Rampart', vendor_name: 'Rampart', version: input.product.version },
    },
    finding_info: {
      uid: input.uid,
      title: input.policy.title,
      desc: input.message,
      types: ['Software and Configuration Checks'],
    },
    compliance: {
      control: input.policy.id,
      standards,
      requirements: input.policy.controls.map(requirementOf),
      status_id: compliance,
      status: COMPLIANCE_NAMES[compliance],
      ...(input.statusDetail ? { status_detail: input.statusDetail } : {}),
    },
    remediation: { desc: input.policy.rationale },
    resources: [
      {
        uid: resource.uid,
        name: resource.name,
        type: resource.type,
        ...(resource.region ? { region: resource.region } : {}),
        ...(resource.partition ? { cloud_partition: resource.partition } : {}),
        ...(resource.data ? { data: resource.data } : {}),
      },
    ],
    cloud: {
      provider: 'AWS',
      ...(input.region ? { region: input.region } : {}),
      ...(input.account
        ? { account: { uid: input.account, type: 'AWS Account', type_id: 10 } }
        : {}),
    },
  };
}
