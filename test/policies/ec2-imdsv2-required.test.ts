import { describe, expect, it } from 'vitest';
import { ec2Imdsv2Required } from '../../policies/ec2-imdsv2-required';
import { instanceSnapshot } from '../../src/resources/ec2-instance';

const scope = { account: '123456789012', region: 'eu-west-1' };
const instance = (HttpTokens?: 'optional' | 'required', HttpEndpoint?: 'enabled' | 'disabled') =>
  instanceSnapshot(scope, {
    InstanceId: 'i-0123456789abcdef0',
    State: { Name: 'running' },
    ...(HttpTokens || HttpEndpoint ? { MetadataOptions: { HttpTokens, HttpEndpoint } } : {}),
  });

describe('ec2-imdsv2-required', () => {
  it('states its metadata: notify without remediator, FSBP EC2.8, CIS 5.6', () => {
    expect(ec2Imdsv2Required).toMatchObject({ defaultMode: 'notify', severity: 'high' });
    expect(ec2Imdsv2Required.remediatorId).toBeUndefined();
    expect(ec2Imdsv2Required.controls).toEqual(
      expect.arrayContaining([
        { framework: 'aws-fsbp', id: 'EC2.8' },
        { framework: 'cis-aws-foundations-3.0', id: '5.6' },
      ]),
    );
  });

  it('IMDSv2 required, or no metadata endpoint, complies', () => {
    expect(ec2Imdsv2Required.evaluate(instance('required'), {})).toEqual({ compliant: true });
    expect(ec2Imdsv2Required.evaluate(instance('optional', 'disabled'), {})).toEqual({
      compliant: true,
    });
  });

  it('IMDSv1 allowed violates, also when the instance does not say (the EC2 default)', () => {
    for (const i of [instance('optional'), instance()]) {
      const v = ec2Imdsv2Required.evaluate(i, {});
      expect(v.compliant === false && v.finding.message).toBe(
        'EC2 instance i-0123456789abcdef0 accepts IMDSv1 (HttpTokens optional).',
      );
    }
  });
});
