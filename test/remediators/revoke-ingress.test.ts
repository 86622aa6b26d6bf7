import {
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { revokeIngress } from '../../remediators/revoke-ingress';
import { AwsClients } from '../../src/aws/clients';
import type { SecurityGroupSnapshot } from '../../src/resources/ec2-security-group';

// A rule that disappears between the read and the revoke cannot be staged in moto at the
// right instant; the EC2 API is mocked with its documented error and response shapes.
const ec2 = mockClient(EC2Client);
const clients = new AwsClients();
afterEach(() => ec2.reset());
afterAll(() => {
  ec2.restore();
  clients.destroy();
});

const REF = {
  partition: 'aws',
  account: '123456789012',
  region: 'eu-west-1',
  type: 'AWS::EC2::SecurityGroup',
  id: 'sg-0123456789abcdef0',
  arn: 'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0123456789abcdef0',
};
const OPEN_22 = {
  ruleId: 'sgr-0aaa',
  isEgress: false,
  protocol: 'tcp',
  fromPort: 22,
  toPort: 22,
  cidrIpv4: '0.0.0.0/0',
};
const snapshot: SecurityGroupSnapshot = {
  type: 'AWS::EC2::SecurityGroup',
  ref: REF,
  groupId: REF.id,
  rules: [OPEN_22],
};
const violation = {
  policyId: 'sg-no-public-ingress',
  resource: REF,
  message: 'open',
  elements: [{ kind: 'ingress-rule', id: 'sgr-0aaa', description: 'tcp 22 from 0.0.0.0/0' }],
};

/** The error the SDK throws, with how many attempts it made (a retry after a lost answer: 2). */
function ruleNotFound(attempts: number) {
  return Object.assign(new Error("The security group rule ID 'sgr-0aaa' does not exist"), {
    name: 'InvalidSecurityGroupRuleId.NotFound',
    $metadata: { httpStatusCode: 400, attempts },
  });
}

describe('revoke-ingress when the rule is gone by the time the revoke is answered', () => {
  it('removed by someone else before the only attempt: already compliant, nothing claimed', async () => {
    ec2.on(RevokeSecurityGroupIngressCommand).rejects(ruleNotFound(1));
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
    const result = await revokeIngress.remediate({ clients, snapshot, violation });
    expect(result).toMatchObject({ status: 'already-compliant', changes: [], after: [] });
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
  });

  it('removed by an attempt whose answer was lost (the SDK retried): reverted, rule named', async () => {
    ec2.on(RevokeSecurityGroupIngressCommand).rejects(ruleNotFound(2));
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
    const result = await revokeIngress.remediate({ clients, snapshot, violation });
    expect(result).toMatchObject({
      status: 'reverted',
      changes: ['revoked sgr-0aaa (tcp 22 from 0.0.0.0/0)'],
      after: [],
    });
  });

  it('another offending rule still there: revoked once more, exactly that one', async () => {
    const open3389 = { ...OPEN_22, ruleId: 'sgr-0bbb', fromPort: 3389, toPort: 3389 };
    const two = { ...snapshot, rules: [OPEN_22, open3389] };
    const both = {
      ...violation,
      elements: [...violation.elements, { kind: 'ingress-rule', id: 'sgr-0bbb', description: 'x' }],
    };
    ec2
      .on(RevokeSecurityGroupIngressCommand)
      .rejectsOnce(ruleNotFound(1))
      .resolves({ Return: true });
    ec2
      .on(DescribeSecurityGroupRulesCommand)
      .resolvesOnce({
        SecurityGroupRules: [
          {
            SecurityGroupRuleId: 'sgr-0bbb',
            GroupId: REF.id,
            IsEgress: false,
            IpProtocol: 'tcp',
            FromPort: 3389,
            ToPort: 3389,
            CidrIpv4: '0.0.0.0/0',
          },
        ],
      })
      .resolves({ SecurityGroupRules: [] });
    const result = await revokeIngress.remediate({ clients, snapshot: two, violation: both });
    expect(result.status).toBe('reverted');
    const calls = ec2.commandCalls(RevokeSecurityGroupIngressCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.SecurityGroupRuleIds).toEqual(['sgr-0bbb']);
  });
});
