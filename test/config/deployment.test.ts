import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import { ConfigError, parseConfig } from '../../src/config';

const catalog = defaultCatalog();

function problems(deployment: unknown): string[] {
  try {
    parseConfig({ deployment }, catalog);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('the deployment section', () => {
  it('defaults to one region, modest concurrency, no Slack, daily sweep and weekly digest', () => {
    expect(parseConfig({}, catalog).deployment).toEqual({
      centralRegion: 'us-east-1',
      regions: ['us-east-1'],
      targets: { organizationalUnits: [], accounts: [] },
      evaluator: {
        reservedConcurrency: 5,
        memorySize: 512,
        timeoutSeconds: 60,
        batchSize: 10,
        maxReceiveCount: 5,
        sourceMaps: false,
      },
      alarms: {},
      slack: { enabled: false },
      configRules: false,
      schedules: { sweep: 'rate(1 day)' },
      stackSets: { callAs: 'SELF', maxConcurrentPercentage: 25, failureTolerancePercentage: 10 },
      sweep: { accountsAtOnce: 40, shardsPerAccount: 2 },
    });
  });

  it('keeps what it is given', () => {
    const deployment = parseConfig(
      {
        deployment: {
          centralAccount: '111122223333',
          centralRegion: 'eu-west-1',
          organizationId: 'o-abcdefghij',
          targets: { organizationalUnits: ['ou-ab12-cdef3456'] },
          regions: ['eu-west-1', 'eu-central-1'],
          evaluator: { reservedConcurrency: 20 },
          alarms: { email: 'secops@example.com' },
          slack: { enabled: true },
          schedules: { sweep: 'rate(7 days)' },
        },
      },
      catalog,
    ).deployment;
    expect(deployment).toMatchObject({
      centralAccount: '111122223333',
      regions: ['eu-west-1', 'eu-central-1'],
      targets: { organizationalUnits: ['ou-ab12-cdef3456'], accounts: [] },
      evaluator: { reservedConcurrency: 20, batchSize: 10 },
      slack: { enabled: true },
      schedules: { sweep: 'rate(7 days)' },
    });
  });

  it('names the field and what is allowed when a value is wrong', () => {
    expect(problems({ region: 'eu-west-1' })).toEqual([
      expect.stringMatching(
        /^deployment\.region: unknown key; allowed: centralAccount, centralRegion,/,
      ),
    ]);
    expect(problems({ centralAccount: '12345' })).toEqual([
      'deployment.centralAccount: expected a 12-digit AWS account id',
    ]);
    expect(problems({ regions: ['mars-north-1'] })).toEqual([
      'deployment.regions.0: expected an AWS region such as eu-west-1',
    ]);
    expect(problems({ evaluator: { reservedConcurrency: 0 } })[0]).toMatch(
      /^deployment\.evaluator\.reservedConcurrency: .*>=1/,
    );
    // The channel lives in the top-level slack: section, with the approvers.
    expect(problems({ slack: { enabled: true, channel: '#security' } })).toEqual([
      'deployment.slack.channel: unknown key; allowed: enabled',
    ]);
    expect(problems({ schedules: { sweep: 'every day' } })).toEqual([
      'deployment.schedules.sweep: expected rate(<n> minutes|hours|days) or cron(<6 fields>)',
    ]);
    expect(problems({ targets: { organizationalUnits: ['engineering'] } })[0]).toContain(
      'deployment.targets.organizationalUnits.0: expected an organizational unit id',
    );
  });
});
