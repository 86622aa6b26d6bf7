import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import type {
  Evaluation,
  Outcome,
  OutcomeStatus,
  ResourceRef,
  TriggerEvent,
} from '../../src/domain';
import type { ReportContext } from '../../src/engine/results';
import {
  findingIdOf,
  findingRegionOf,
  findingStateOf,
  toAsffFinding,
} from '../../src/reporters/asff';

const catalog = defaultCatalog();
const policy = catalog.policies.get('iam-no-admin-access')!;
const resource: ResourceRef = {
  partition: 'aws',
  account: '123456789012',
  region: 'global',
  type: 'AWS::IAM::Principal',
  id: 'deployer',
  arn: 'arn:aws:iam::123456789012:role/deployer',
};
const trigger: TriggerEvent = {
  source: 'cloudtrail',
  eventId: 'e-1',
  eventName: 'AttachRolePolicy',
  eventSource: 'iam.amazonaws.com',
  eventTime: '2026-12-01T10:00:00Z',
};
const violation: Evaluation = {
  policyId: policy.id,
  resource,
  status: 'violation',
  violation: {
    policyId: policy.id,
    resource,
    message: 'Role deployer has AdministratorAccess.',
    elements: [],
  },
};
const outcome = (status: OutcomeStatus): Outcome => ({
  policyId: policy.id,
  status,
  changes: status === 'reverted' ? ['detached AdministratorAccess'] : [],
  timings: { receivedAt: trigger.eventTime },
});
const ctx = (evaluation: Evaluation, o?: Outcome): ReportContext => ({
  trigger,
  resource,
  evaluation,
  ...(o ? { outcome: o } : {}),
});

describe('ASFF findings', () => {
  it.each([
    ['notified', 'FAILED', 'NEW'],
    ['failed', 'FAILED', 'NEW'],
    ['awaiting-approval', 'FAILED', 'NEW'],
    ['escalated', 'FAILED', 'NEW'],
    ['excepted', 'FAILED', 'SUPPRESSED'],
    ['reverted', 'PASSED', 'RESOLVED'],
    ['already-compliant', 'PASSED', 'RESOLVED'],
  ] as const)('a violation whose outcome is %s is %s / %s', (status, compliance, workflow) => {
    expect(findingStateOf(ctx(violation, outcome(status)))).toEqual({
      compliance,
      recordState: 'ACTIVE',
      workflow,
    });
  });

  it('compliant is resolved, not applicable is archived with its workflow left alone, an error claims nothing', () => {
    expect(findingStateOf(ctx({ policyId: policy.id, resource, status: 'compliant' }))).toEqual({
      compliance: 'PASSED',
      recordState: 'ACTIVE',
      workflow: 'RESOLVED',
    });
    expect(
      findingStateOf(ctx({ policyId: policy.id, resource, status: 'not-applicable', reason: 'x' })),
    ).toEqual({ compliance: 'NOT_AVAILABLE', recordState: 'ARCHIVED' });
    expect(
      findingStateOf(ctx({ policyId: policy.id, resource, status: 'error', error: 'boom' })),
    ).toBeUndefined();
  });

  it('an IAM finding goes to the partition home region, typed by the principal kind, with its controls', () => {
    const state = findingStateOf(ctx(violation, outcome('notified')))!;
    const f = toAsffFinding(ctx(violation, outcome('notified')), state, {
      policy,
      type: catalog.resourceTypes.get(resource.type),
      now: '2026-12-01T10:00:05Z',
    });
    expect(f).toMatchObject({
      Region: 'us-east-1',
      ProductArn: 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default',
      Resources: [{ Type: 'AwsIamRole', Id: resource.arn, Region: 'us-east-1' }],
      Severity: { Label: 'CRITICAL' },
      CreatedAt: trigger.eventTime,
      UpdatedAt: '2026-12-01T10:00:05Z',
    });
    expect(f.Compliance!.RelatedRequirements).toEqual([
      'AWS Foundational Security Best Practices IAM.1',
      'CIS AWS Foundations Benchmark v3.0.0/1.16',
      'AWS Well-Architected Framework SEC03-BP02',
    ]);
    expect(findingRegionOf({ ...resource, partition: 'aws-us-gov' })).toBe('us-gov-west-1');
    expect(findingRegionOf(resource, 'eu-central-1')).toBe('eu-central-1');
  });

  it('attack: hostile lengths stay within ASFF limits; the id stays stable and distinct', () => {
    const long = 'x'.repeat(5000);
    const hostile: Evaluation = {
      ...violation,
      violation: { ...violation.violation, message: `<script>${long}` },
    } as Evaluation;
    const state = findingStateOf(ctx(hostile, outcome('failed')))!;
    const f = toAsffFinding(
      {
        ...ctx(hostile, { ...outcome('failed'), error: long }),
        trigger: { ...trigger, eventName: long },
      },
      state,
      { policy, type: undefined, now: trigger.eventTime },
    );
    expect(f.Description!.length).toBeLessThanOrEqual(1024);
    expect(f.ProductFields!['rampart/eventName']!.length).toBeLessThanOrEqual(2048);
    expect(f.Resources![0]!.Type).toBe('Other');
    const arnA = `arn:aws:sqs:eu-west-1:123456789012:${'a'.repeat(600)}`;
    const arnB = `${arnA}b`;
    expect(findingIdOf('p', arnA).length).toBeLessThanOrEqual(512);
    expect(findingIdOf('p', arnA)).toBe(findingIdOf('p', arnA));
    expect(findingIdOf('p', arnA)).not.toBe(findingIdOf('p', arnB));
    expect(findingIdOf('p', 'arn:aws:s3:::bucket')).toBe('rampart/p/arn:aws:s3:::bucket');
  });
});
