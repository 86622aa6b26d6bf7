import { describe, expect, it } from 'vitest';
import { cloudTrailMultiRegionTrail } from '../../policies/cloudtrail-multi-region-trail';
import {
  cloudTrailAccountRef,
  type AccountTrail,
  type CloudTrailAccountSnapshot,
} from '../../src/resources/cloudtrail-account';

const account = (multiRegionTrails: AccountTrail[]): CloudTrailAccountSnapshot => ({
  type: 'AWS::CloudTrail::AccountTrails',
  ref: cloudTrailAccountRef('123456789012', 'eu-west-1'),
  account: '123456789012',
  multiRegionTrails,
});
const trail = (name: string, isLogging: boolean, logFileValidation: boolean): AccountTrail => ({
  trailArn: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${name}`,
  homeRegion: 'us-east-1',
  isLogging,
  logFileValidation,
});
const judge = (s: CloudTrailAccountSnapshot) => cloudTrailMultiRegionTrail.evaluate(s, {});

describe('cloudtrail-multi-region-trail', () => {
  it('states its metadata: notify, security, CloudTrail.1 and CIS 3.1', () => {
    expect(cloudTrailMultiRegionTrail).toMatchObject({ defaultMode: 'notify', pillar: 'security' });
    expect(cloudTrailMultiRegionTrail.controls.map((c) => c.id)).toEqual(
      expect.arrayContaining(['CloudTrail.1', '3.1']),
    );
  });

  it('one logging trail with validation is enough, beside others that are not', () => {
    expect(judge(account([trail('old', false, false), trail('main', true, true)]))).toEqual({
      compliant: true,
    });
  });

  it('no multi-region trail, or none both logging and validating, violates and says which', () => {
    const none = judge(account([]));
    expect(none.compliant === false && none.finding.message).toBe(
      'Account 123456789012 is not recorded in every region: it has no multi-region trail.',
    );
    const half = judge(account([trail('a', true, false), trail('b', false, true)]));
    expect(half.compliant === false && half.finding.message).toBe(
      'Account 123456789012 is not recorded in every region: its multi-region trails a (no log file validation); b (not logging) do not cover it.',
    );
  });

  it('the ref names the account, once per account whatever the region', () => {
    expect(cloudTrailAccountRef('123456789012', 'eu-west-1')).toMatchObject({
      id: '123456789012',
      arn: 'arn:aws:iam::123456789012:root',
    });
  });
});
