import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import type { Violation } from '../../src/domain';
import { decide } from '../../src/engine/decide';

const catalog = defaultCatalog();
const policy = catalog.policies.get('sg-no-public-ingress')!;
const violation = {
  policyId: policy.id,
  resource: {
    type: 'AWS::EC2::SecurityGroup',
    id: 'sg-1',
    arn: 'arn:aws:ec2:eu-west-1:222222222222:security-group/sg-1',
    account: '222222222222',
    region: 'eu-west-1',
  },
  message: 'open',
  elements: [],
} as unknown as Violation;
const GRACE = 'account 222222222222 is in its grace period until 2026-12-20T00:00:00.000Z';

describe('decide: an account in its grace period only notifies', () => {
  for (const mode of ['enforce', 'approve'] as const) {
    it(`${mode}: notify, with the grace period as the reason`, () => {
      const config = parseConfig({ policies: { [policy.id]: { mode } } }, catalog);
      const decision = decide(policy, violation, config, {
        approvalsScheduled: true,
        grace: GRACE,
      });
      expect(decision).toMatchObject({ action: 'notify', reason: GRACE, mode });
      // Out of grace, the mode holds.
      expect(decide(policy, violation, config, { approvalsScheduled: true }).action).toBe(
        mode === 'enforce' ? 'remediate' : 'await-approval',
      );
    });
  }
  it('an approval deadline passing in grace does not revert; a human asking to revert now does', () => {
    const config = parseConfig({ policies: { [policy.id]: { mode: 'approve' } } }, catalog);
    const base = { approvalsScheduled: true, grace: GRACE };
    expect(decide(policy, violation, config, { ...base, approvalOver: 'deadline' }).action).toBe(
      'notify',
    );
    expect(decide(policy, violation, config, { ...base, approvalOver: 'revert-now' }).action).toBe(
      'remediate',
    );
  });
  it('a dry run stays a dry run', () => {
    const config = parseConfig({}, catalog);
    expect(
      decide(policy, violation, config, { approvalsScheduled: true, grace: GRACE, dryRun: true })
        .action,
    ).toBe('dry-run');
  });
});
