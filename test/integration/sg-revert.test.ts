import { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import type { AuditRecord } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { authorizeIngressEvent } from '../support/cloudtrail';
import {
  OPEN_22,
  OPEN_443,
  OPEN_ALL_V6,
  PRIVATE_5432,
  ingressRules,
  recordCalls,
  seedSecurityGroup,
} from '../support/ec2';

const REGION = 'eu-west-1'; // this file's own region in the shared moto server

describe('world-open security group rules are reverted end to end (moto)', () => {
  let rampart: Rampart;
  let ec2: EC2Client;
  let calls: string[];
  const audit: AuditRecord[] = [];

  beforeAll(() => {
    const clients = new AwsClients({ maxAttempts: 2 });
    rampart = createRampart({ clients });
    rampart.audit.subscribe((r) => audit.push(r));
    ec2 = new EC2Client({ region: REGION });
    calls = recordCalls(clients.get(EC2Client, { region: REGION, account: '123456789012' }));
  });
  afterAll(() => {
    rampart.clients.destroy();
    ec2.destroy();
  });

  const event = (groupId: string, extra: Record<string, unknown> = {}) =>
    authorizeIngressEvent(
      groupId,
      [
        { protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' },
        { protocol: 'tcp', from: 0, to: 65535, cidrIpv6: '::/0' },
      ],
      extra,
      { region: REGION },
    );

  it('revokes exactly the 22 and ::/0 rules, then is a no-op on the same event', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22, OPEN_443, PRIVATE_5432, OPEN_ALL_V6]);
    const before = await ingressRules(ec2, groupId);
    expect(before).toHaveLength(4);

    const result = await rampart.evaluator.handleEvent(event(groupId));
    expect(result.status).toBe('handled');
    if (result.status !== 'handled') return;
    const [resource] = result.resources;
    expect(resource!.decisions.map((d) => d.action)).toEqual(['remediate']);
    const outcome = resource!.outcomes[0]!;
    expect(outcome.status).toBe('reverted');
    expect(outcome.changes).toHaveLength(2);
    expect(outcome.timings.timeToRevertMs).toBeGreaterThanOrEqual(0);

    const after = await ingressRules(ec2, groupId);
    expect(after.map((r) => r.text)).toEqual(['tcp 443-443 0.0.0.0/0', 'tcp 5432-5432 10.0.0.0/8']);
    // The surviving rules are the very same rules (ids unchanged), not re-created ones.
    expect(after.map((r) => r.id).sort()).toEqual(
      before
        .filter((r) => after.some((a) => a.text === r.text))
        .map((r) => r.id)
        .sort(),
    );
    const auditOutcome = audit.find((r) => r.audit === 'outcome' && r.eventId === result.eventId);
    expect(auditOutcome).toMatchObject({ status: 'reverted', policyId: 'sg-no-public-ingress' });
    expect(typeof auditOutcome!.timeToRevertMs).toBe('number');

    calls.length = 0;
    const again = await rampart.evaluator.handleEvent(event(groupId));
    expect(again.status === 'handled' && again.resources[0]!.outcomes[0]!.status).toBe(
      'already-compliant',
    );
    expect(calls).toEqual(['DescribeSecurityGroupRulesCommand']); // read only, no write
    expect(await ingressRules(ec2, groupId)).toEqual(after);
  });

  it('changes nothing for a failed call or for a change made by Rampart’s own role', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22, OPEN_ALL_V6]);
    const before = await ingressRules(ec2, groupId);
    calls.length = 0;

    const failed = await rampart.evaluator.handleEvent(
      event(groupId, {
        errorCode: 'Client.UnauthorizedOperation',
        errorMessage: 'You are not authorized',
      }),
    );
    expect(failed).toMatchObject({ status: 'skipped', code: 'failed-call' });

    const own = event(groupId);
    own.detail.userIdentity = {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/RampartRemediationRole/rampart-evaluator',
      accountId: '123456789012',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          arn: 'arn:aws:iam::123456789012:role/RampartRemediationRole',
        },
      },
    } as typeof own.detail.userIdentity;
    expect(await rampart.evaluator.handleEvent(own)).toMatchObject({
      status: 'skipped',
      code: 'own-change',
    });

    expect(calls).toEqual([]); // not even read
    expect(await ingressRules(ec2, groupId)).toEqual(before);
  });

  it('attack: look-alike roles, a human session of Rampart’s role and a forged source are not Rampart', async () => {
    const assumed = (role: string, session: string, account = '123456789012') => ({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
      accountId: account,
      sessionContext: {
        sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${account}:role/${role}` },
      },
    });
    for (const identity of [
      assumed('RampartRemediationRole-dev', 'alice'),
      assumed('RampartRemediationRole-dev', 'rampart-evaluator'),
      assumed('RampartRemediationRole', 'alice'),
    ]) {
      const groupId = await seedSecurityGroup(ec2, [OPEN_22, OPEN_443]);
      const opened = event(groupId);
      opened.detail.userIdentity = identity as typeof opened.detail.userIdentity;
      const result = await rampart.evaluator.handleEvent(opened);
      expect(
        result.status === 'handled' && result.resources[0]!.outcomes[0]!.status,
        identity.arn,
      ).toBe('reverted');
      expect(
        (await ingressRules(ec2, groupId)).map((r) => r.text),
        identity.arn,
      ).toEqual(['tcp 443-443 0.0.0.0/0']);
    }

    // PutEvents by anyone: a custom source with CloudTrail's shape is refused before any read,
    // and reported nowhere (so its forged account id and actor never reach Slack).
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const before = await ingressRules(ec2, groupId);
    const forged = { ...event(groupId), source: 'custom.cloudtrail', account: '<!channel>' };
    calls.length = 0;
    expect(await rampart.evaluator.handleEvent(forged)).toMatchObject({
      status: 'skipped',
      code: 'untrusted-source',
    });
    expect(calls).toEqual([]);
    expect(await ingressRules(ec2, groupId)).toEqual(before);
  });
});
