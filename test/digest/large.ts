import { computeDigest, type Digest } from '../../src/digest/model';
import type { OutcomeRecord } from '../../src/history/store';
import type { ExceptionRecord } from '../../src/exceptions/model';
import { sweepSummary } from './seed';

/**
 * A large history: `policies` × `accounts` rows with open violations, `actors` actors with
 * long ARNs (one carrying markup), `expiring` exceptions expiring within the week.
 */
export function largeDigest(
  sizes: { policies: number; accounts: number; actors: number; expiring: number } = {
    policies: 25,
    accounts: 20,
    actors: 60,
    expiring: 80,
  },
): Digest {
  const now = Date.parse('2026-03-16T06:00:00.000Z');
  const account = (i: number) => String(100000000000 + i);
  const policy = (i: number) =>
    `policy-with-a-rather-long-identifier-${String(i).padStart(3, '0')}`;
  const counts = [];
  for (let p = 0; p < sizes.policies; p++) {
    for (let a = 0; a < sizes.accounts; a++) {
      counts.push({ policy: policy(p), account: account(a), violations: 1 + ((p * 7 + a) % 13) });
    }
  }
  const outcomes: OutcomeRecord[] = [];
  for (let i = 0; i < sizes.actors; i++) {
    const actor =
      i === 0
        ? 'arn:aws:iam::100000000000:user/<script>alert("x")</script>&co'
        : `arn:aws:sts::${account(i % sizes.accounts)}:assumed-role/${'VeryLongRoleName'.repeat(8)}/session-${i}`;
    for (let k = 0; k <= (i === 0 ? 5 : i % 4); k++) {
      outcomes.push({
        time: new Date(now - (i + 1) * 60_000 - k).toISOString(),
        source: 'cloudtrail',
        eventId: `e-${i}-${k}`,
        eventName: 'AuthorizeSecurityGroupIngress',
        policy: policy(i % sizes.policies),
        resourceType: 'AWS::EC2::SecurityGroup',
        resourceId: `sg-${i}`,
        arn: `arn:aws:ec2:eu-west-1:${account(i % sizes.accounts)}:security-group/sg-${i}`,
        account: account(i % sizes.accounts),
        region: 'eu-west-1',
        status: 'reverted',
        actor,
        timeToRevertMs: 1000 * (k + 1),
      });
    }
  }
  const activeExceptions: ExceptionRecord[] = [];
  for (let i = 0; i < sizes.expiring; i++) {
    activeExceptions.push({
      id: `exc-${i}`,
      policyId: policy(i % sizes.policies),
      scope: {
        kind: 'resource',
        arn: `arn:aws:ec2:eu-west-1:${account(i % sizes.accounts)}:security-group/sg-${'0'.repeat(40)}${i}`,
      },
      status: 'active',
      requester: { slackUserId: 'UREQ' },
      approver: 'UAPP',
      justification: 'large digest',
      createdAt: new Date(now - 86_400_000).toISOString(),
      expiresAt: new Date(now + (i + 1) * 3_600_000).toISOString(),
    });
  }
  return computeDigest({
    generatedAt: new Date(now).toISOString(),
    from: new Date(now - 7 * 86_400_000).toISOString(),
    to: new Date(now).toISOString(),
    schedule: 'weekly',
    sweep: sweepSummary('run-large', now - 3_600_000, counts),
    outcomes,
    decisions: [],
    activeExceptions,
    // eight weekly digests before this one, for the trend
    pastDigests: Array.from({ length: 8 }, (_, i) => ({
      generatedAt: new Date(now - (8 - i) * 7 * 86_400_000).toISOString(),
      from: new Date(now - (9 - i) * 7 * 86_400_000).toISOString(),
      to: new Date(now - (8 - i) * 7 * 86_400_000).toISOString(),
      openViolations: 4200 - i * 90 + (i % 3) * 60,
      reverted: 100 + i * 5,
      byPolicyAccount: [],
    })),
    topActors: 50,
    // Every policy checks two controls; one more, never swept, is not evaluated.
    controls: {
      ...Object.fromEntries(
        Array.from({ length: sizes.policies }, (_, p) => [
          policy(p),
          [
            { framework: 'aws-fsbp' as const, id: `EC2.${(p % 10) + 1}` },
            { framework: 'aws-well-architected' as const, id: `SEC0${(p % 9) + 1}-BP01` },
          ],
        ]),
      ),
      'policy-never-swept': [{ framework: 'cis-aws-foundations-3.0' as const, id: '1.4' }],
    },
  });
}
