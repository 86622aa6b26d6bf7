import { describe, expect, it } from 'vitest';
import { logsRetentionSet } from '../../policies/logs-retention-set';
import { safeRetentionDays } from '../../remediators/logs-set-retention';
import { logGroupRef, type LogGroupSnapshot } from '../../src/resources/log-group';

const group = (retentionInDays?: number): LogGroupSnapshot => ({
  type: 'AWS::Logs::LogGroup',
  ref: logGroupRef('123456789012', 'eu-west-1', '/app/orders'),
  logGroupName: '/app/orders',
  ...(retentionInDays ? { retentionInDays } : {}),
});
const DAY = 24 * 3600 * 1000;

describe('logs-retention-set', () => {
  const params = (p: Record<string, unknown> = {}) => logsRetentionSet.parameters.parse(p);
  it('states its metadata: enforce, cost, its remediator', () => {
    expect(logsRetentionSet).toMatchObject({
      defaultMode: 'enforce',
      pillar: 'cost-optimization',
      remediatorId: 'logs-set-retention',
    });
  });

  it('a retention period complies; never-expire violates with the configured days as remedy', () => {
    expect(logsRetentionSet.evaluate(group(30), params())).toEqual({ compliant: true });
    const v = logsRetentionSet.evaluate(group(), params({ days: 90 }));
    expect(v.compliant === false && v.finding).toMatchObject({
      message: 'Log group /app/orders keeps its events forever (no retention period).',
      remedy: { days: 90 },
    });
  });

  it('accepts only the periods CloudWatch accepts, naming them', () => {
    expect(() => params({ days: 100 })).toThrow(/expected one of 1, 3, 5, 7, 14, 30/);
  });
});

describe('the retention the remediator sets never deletes an event the group holds', () => {
  const now = Date.parse('2026-12-04T00:00:00Z');
  it('a new group gets the configured period', () => {
    expect(safeRetentionDays(365, now - 2 * DAY, now)).toBe(365);
  });
  it('an older group gets the next period longer than its age plus 14 days', () => {
    expect(safeRetentionDays(30, now - 40 * DAY, now)).toBe(60);
    expect(safeRetentionDays(365, now - 500 * DAY, now)).toBe(545);
  });
  it('a group older than ten years, or of unknown age, gets none', () => {
    expect(safeRetentionDays(365, now - 3700 * DAY, now)).toBeUndefined();
    expect(safeRetentionDays(365, undefined, now)).toBeUndefined();
  });
});
