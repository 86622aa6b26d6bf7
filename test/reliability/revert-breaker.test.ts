import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision, Outcome, ResourceRef } from '../../src/domain';
import type { GuardSubject } from '../../src/engine/evaluator';
import { RevertBreaker } from '../../src/reliability/revert-breaker';
import { createStateTable } from '../support/reliability';

const REGION = 'ca-central-1'; // this file's own region in the shared moto server
const settings = { enabled: true, maxReverts: 3, windowMinutes: 10, cooldownMinutes: 60 };

function subject(resourceId: string): GuardSubject {
  const resource: ResourceRef = {
    partition: 'aws',
    account: '123456789012',
    region: REGION,
    type: 'AWS::EC2::SecurityGroup',
    id: resourceId,
    arn: `arn:aws:ec2:${REGION}:123456789012:security-group/${resourceId}`,
  };
  return {
    trigger: {
      source: 'cloudtrail',
      eventId: randomUUID(),
      eventName: 'AuthorizeSecurityGroupIngress',
      eventSource: 'ec2.amazonaws.com',
      eventTime: new Date().toISOString(),
    },
    decision: {
      policyId: 'sg-no-public-ingress',
      remediatorId: 'revoke-ingress',
      mode: 'enforce',
      action: 'remediate',
      reason: 'policy mode is enforce',
      violation: { policyId: 'sg-no-public-ingress', resource, message: 'open', elements: [] },
    } satisfies Decision,
    resource,
    timings: { receivedAt: new Date().toISOString() },
  };
}

const outcome = (status: Outcome['status']) => async (): Promise<Outcome> => ({
  policyId: 'sg-no-public-ingress',
  status,
  changes: status === 'reverted' ? ['revoked sgr-1'] : [],
  timings: { receivedAt: new Date().toISOString() },
});

describe('revert-war breaker (DynamoDB state in moto)', () => {
  const client = new DynamoDBClient({ region: REGION });
  let table: string;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const breaker = (overrides: Partial<typeof settings> = {}) =>
    new RevertBreaker({
      client,
      tableName: table,
      settings: { ...settings, ...overrides },
      now: () => clock,
    });

  beforeAll(async () => {
    table = await createStateTable(client, `rampart-state-${randomUUID()}`);
  });
  afterAll(() => client.destroy());

  it('reverts K times, escalates once, suppresses while open, resumes after the cool-down', async () => {
    const b = breaker();
    const s = subject(`sg-${randomUUID()}`);
    const statuses: string[] = [];
    let remediations = 0;
    const revert = async () => {
      remediations++;
      return outcome('reverted')();
    };
    for (let i = 0; i < 8; i++) {
      clock += 1000; // one re-creation per second
      statuses.push((await b.run(s, revert)).status);
    }
    expect(statuses).toEqual([
      'reverted',
      'reverted',
      'reverted',
      'escalated',
      'suppressed',
      'suppressed',
      'suppressed',
      'suppressed',
    ]);
    expect(remediations).toBe(3);
    const escalated = await b.run(s, revert);
    expect(escalated.reason).toMatch(/suspended until/);

    clock += 60 * 60_000; // the cool-down ends
    expect((await b.run(s, revert)).status).toBe('reverted');
    expect(remediations).toBe(4);
  });

  it('counts only real reverts, and only within the window', async () => {
    const b = breaker();
    const s = subject(`sg-${randomUUID()}`);
    for (let i = 0; i < 6; i++) {
      expect((await b.run(s, outcome('already-compliant'))).status).toBe('already-compliant');
      expect((await b.run(s, outcome('failed'))).status).toBe('failed');
    }
    expect((await b.state(s.resource.arn))?.reverts).toEqual([]);
    // Two reverts, then the window slides past them: three more are allowed.
    await b.run(s, outcome('reverted'));
    await b.run(s, outcome('reverted'));
    clock += 11 * 60_000;
    for (let i = 0; i < 3; i++)
      expect((await b.run(s, outcome('reverted'))).status).toBe('reverted');
    expect((await b.run(s, outcome('reverted'))).status).toBe('escalated');
  });

  it('keeps separate counts per resource', async () => {
    const b = breaker({ maxReverts: 1 });
    const a = subject(`sg-${randomUUID()}`);
    const c = subject(`sg-${randomUUID()}`);
    expect((await b.run(a, outcome('reverted'))).status).toBe('reverted');
    expect((await b.run(c, outcome('reverted'))).status).toBe('reverted');
    expect((await b.run(a, outcome('reverted'))).status).toBe('escalated');
    expect((await b.run(c, outcome('reverted'))).status).toBe('escalated');
  });

  it('concurrent Lambdas agree: exactly K reverts and one escalation among 20 at once', async () => {
    const s = subject(`sg-${randomUUID()}`);
    // Each "Lambda" has its own breaker instance; only the table is shared.
    const results = await Promise.all(
      Array.from({ length: 20 }, () => breaker().run(s, outcome('reverted'))),
    );
    const count = (status: string) => results.filter((r) => r.status === status).length;
    expect({
      reverted: count('reverted'),
      escalated: count('escalated'),
      suppressed: count('suppressed'),
    }).toEqual({ reverted: 3, escalated: 1, suppressed: 16 });
  });

  it('fails (and does not revert) when its state cannot be read', async () => {
    const b = new RevertBreaker({
      client,
      tableName: 'no-such-table',
      settings,
      now: () => clock,
    });
    let remediations = 0;
    const result = await b.run(subject('sg-x'), async () => {
      remediations++;
      return outcome('reverted')();
    });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/revert breaker unavailable: ResourceNotFoundException/);
    expect(remediations).toBe(0);
  });
});
