import { describe, expect, it } from 'vitest';
import { cloudTrailLoggingOn } from '../../policies/cloudtrail-logging-on';
import {
  cloudTrailTrailRef,
  type CloudTrailTrailSnapshot,
} from '../../src/resources/cloudtrail-trail';

const trail = (over: Partial<CloudTrailTrailSnapshot> = {}): CloudTrailTrailSnapshot => ({
  type: 'AWS::CloudTrail::Trail',
  ref: cloudTrailTrailRef('123456789012', 'eu-west-1', 'org-audit'),
  trailName: 'org-audit',
  trailArn: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-audit',
  homeRegion: 'eu-west-1',
  isLogging: true,
  isMultiRegion: true,
  logFileValidation: true,
  isOrganizationTrail: false,
  ...over,
});
const params = (p: Record<string, unknown> = {}) => cloudTrailLoggingOn.parameters.parse(p);

describe('cloudtrail-logging-on', () => {
  it('states its metadata: enforce, critical, its remediator and controls', () => {
    expect(cloudTrailLoggingOn).toMatchObject({
      defaultMode: 'enforce',
      severity: 'critical',
      remediatorId: 'cloudtrail-start-logging',
    });
    expect(cloudTrailLoggingOn.triggers).toContain('StopLogging');
    expect(cloudTrailLoggingOn.controls).toContainEqual({
      framework: 'aws-fsbp',
      id: 'CloudTrail.4',
    });
  });

  it('a logging trail with validation complies', () => {
    expect(cloudTrailLoggingOn.evaluate(trail(), params())).toEqual({ compliant: true });
  });

  it('names each offending element: stopped logging, validation off', () => {
    const v = cloudTrailLoggingOn.evaluate(
      trail({ isLogging: false, logFileValidation: false }),
      params(),
    );
    expect(v.compliant === false && v.finding.elements.map((e) => e.kind)).toEqual([
      'logging',
      'log-file-validation',
    ]);
    expect(v.compliant === false && v.finding.message).toBe(
      'CloudTrail trail org-audit: logging is stopped, log file validation is off.',
    );
  });

  it('validation can be left out by parameter; a stopped trail still violates', () => {
    const lax = params({ requireLogFileValidation: false });
    expect(cloudTrailLoggingOn.evaluate(trail({ logFileValidation: false }), lax)).toEqual({
      compliant: true,
    });
    expect(cloudTrailLoggingOn.evaluate(trail({ isLogging: false }), lax).compliant).toBe(false);
  });
});
