import type { AwsSecurityFinding, SeverityLabel } from '@aws-sdk/client-securityhub';
import { createHash } from 'node:crypto';
import { apiRegionOf, type ResourceRef } from '../domain';
import type { AnyPolicy, AnyResourceType } from '../engine/definitions';
import { requirementOf } from '../engine/frameworks';
import type { ReportContext } from '../engine/results';

/**
 * One outcome as an AWS Security Finding Format (ASFF) finding: one finding per (policy,
 * resource), its `Id` stable so that every later outcome upserts the same finding.
 * Pure: src/reporters/security-hub.ts sends what this builds.
 */

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** ASFF field limits (Security Hub refuses longer values). */
const MAX = { id: 512, title: 256, description: 1024, recommendation: 512, field: 2048 };
const MAX_REQUIREMENTS = 32;

export type WorkflowStatus = 'NEW' | 'RESOLVED' | 'SUPPRESSED';

/** Where a finding stands after an outcome: compliance, the record, and the workflow wanted. */
export interface FindingState {
  compliance: 'PASSED' | 'FAILED' | 'NOT_AVAILABLE';
  recordState: 'ACTIVE' | 'ARCHIVED';
  /** Undefined: the workflow is left as it is (a finding archived as not applicable). */
  workflow?: WorkflowStatus;
}

/**
 * Open → NEW/FAILED; reverted (or fixed meanwhile) and compliant → RESOLVED/PASSED; under
 * an exception → SUPPRESSED/FAILED, and back to NEW the first time the violation is found
 * without one (expired or revoked). Not applicable: archived. An evaluation error claims
 * nothing (undefined).
 */
export function findingStateOf(context: ReportContext): FindingState | undefined {
  const { evaluation, outcome } = context;
  switch (evaluation.status) {
    case 'error':
      return undefined;
    case 'not-applicable':
      return { compliance: 'NOT_AVAILABLE', recordState: 'ARCHIVED' };
    case 'compliant':
      return { compliance: 'PASSED', recordState: 'ACTIVE', workflow: 'RESOLVED' };
    case 'violation':
      if (outcome?.status === 'reverted' || outcome?.status === 'already-compliant') {
        return { compliance: 'PASSED', recordState: 'ACTIVE', workflow: 'RESOLVED' };
      }
      if (outcome?.status === 'excepted') {
        return { compliance: 'FAILED', recordState: 'ACTIVE', workflow: 'SUPPRESSED' };
      }
      return { compliance: 'FAILED', recordState: 'ACTIVE', workflow: 'NEW' };
  }
}

/** `rampart/<policy>/<resource ARN>`; a digest of the ARN when that would exceed 512 chars. */
export function findingIdOf(policyId: string, arn: string): string {
  const id = `rampart/${policyId}/${arn}`;
  if (id.length <= MAX.id) return id;
  return `rampart/${policyId}/sha256:${createHash('sha256').update(arn).digest('hex')}`;
}

/** The region a finding is imported into: the configured one, or the resource's own. */
export function findingRegionOf(resource: ResourceRef, configured?: string): string {
  if (configured) return configured;
  return apiRegionOf(resource);
}

/** The account's default product: findings a customer imports for itself go there. */
export function defaultProductArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function descriptionOf(context: ReportContext, state: FindingState): string {
  const { evaluation, outcome } = context;
  if (evaluation.status === 'not-applicable') return `Not applicable: ${evaluation.reason}`;
  if (evaluation.status !== 'violation') return 'Compliant when evaluated by Rampart.';
  const message = evaluation.violation.message;
  if (state.compliance === 'PASSED') {
    return `${message} Reverted by Rampart: ${outcome?.changes.join('; ') || 'no change needed'}.`;
  }
  if (outcome?.status === 'excepted') return `${message} Open under an approved exception.`;
  if (outcome?.status === 'failed') return `${message} Remediation failed: ${outcome.error ?? ''}`;
  return message;
}

export function toAsffFinding(
  context: ReportContext,
  state: FindingState,
  parts: { policy: AnyPolicy; type: AnyResourceType | undefined; region?: string; now: string },
): AwsSecurityFinding {
  const { resource, trigger, outcome } = context;
  const { policy } = parts;
  const region = findingRegionOf(resource, parts.region);
  const declared = parts.type?.securityHubType ?? 'Other';
  const resourceType = typeof declared === 'function' ? declared(resource) : declared;
  const fields: Record<string, string> = {
    'rampart/policy': policy.id,
    'rampart/pillar': policy.pillar,
    'rampart/eventId': trigger.eventId,
    'rampart/eventName': trigger.eventName,
    'rampart/eventSource': trigger.eventSource,
    ...(outcome ? { 'rampart/outcome': outcome.status } : {}),
    ...(trigger.actor?.arn ? { 'rampart/actor': trigger.actor.arn } : {}),
    ...(trigger.actor?.sourceIPAddress
      ? { 'rampart/sourceIp': trigger.actor.sourceIPAddress }
      : {}),
  };
  for (const [key, value] of Object.entries(fields)) fields[key] = clip(value, MAX.field);
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingIdOf(policy.id, resource.arn),
    ProductArn: defaultProductArn(resource.partition, region, resource.account),
    ProductName: 'Rampart',
    CompanyName: 'Rampart',
    GeneratorId: policy.id,
    AwsAccountId: resource.account,
    Region: region,
    Types: ['Software and Configuration Checks/AWS Security Best Practices'],
    // When the change that opened it happened; a sweep's finding, when the sweep saw it.
    CreatedAt: trigger.eventTime,
    UpdatedAt: parts.now,
    Severity: { Label: policy.severity.toUpperCase() as SeverityLabel },
    Title: clip(policy.title, MAX.title),
    Description: clip(descriptionOf(context, state), MAX.description),
    Remediation: {
      Recommendation: {
        Text: clip(
          policy.remediatorId
            ? `${policy.rationale} Rampart reverts it with ${policy.remediatorId} in mode enforce.`
            : policy.rationale,
          MAX.recommendation,
        ),
      },
    },
    ProductFields: fields,
    Resources: [
      {
        Type: resourceType,
        Id: resource.arn,
        Partition: resource.partition as 'aws',
        Region: region,
      },
    ],
    Compliance: {
      Status: state.compliance,
      RelatedRequirements: policy.controls.slice(0, MAX_REQUIREMENTS).map(requirementOf),
    },
    RecordState: state.recordState,
    // Taken by Security Hub when the finding is created; later changes go through
    // BatchUpdateFindings (a finding provider cannot update Workflow with an import).
    ...(state.workflow ? { Workflow: { Status: state.workflow } } : {}),
  };
}
