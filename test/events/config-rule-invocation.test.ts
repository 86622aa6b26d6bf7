import { describe, expect, it } from 'vitest';
import {
  CONFIG_RULE_INVOCATION_LIMITS,
  parseConfigRuleInvocation,
} from '../../src/events/config-rule-invocation';
import { MalformedEventError } from '../../src/events/errors';
import { loadSample } from '../support/samples';

const failure = (input: unknown) => {
  try {
    parseConfigRuleInvocation(input);
  } catch (error) {
    if (error instanceof MalformedEventError) return { field: error.field, problem: error.problem };
    throw error;
  }
  throw new Error('parsed');
};

describe('AWS Config rule invocations', () => {
  const sg = loadSample('custodian__ConfigRuleInvocation-SecurityGroup__1.json');
  const oversized = loadSample('powertools__ConfigRuleInvocation-Oversized__1.json');

  it('reads the public samples: the rule, its region and account, and the item or its summary', () => {
    const a = parseConfigRuleInvocation(sg);
    expect(a).toMatchObject({
      ruleName: 'custodian-sg-exposed-port7',
      account: '123456789012',
      region: 'eu-west-1',
      testMode: false,
      eventLeftScope: false,
      trigger: { kind: 'change', change: { kind: 'item', item: { resourceId: 'sg-e2fb6999' } } },
    });
    const b = parseConfigRuleInvocation(oversized);
    expect(b).toMatchObject({
      region: 'us-east-2',
      resultToken: 'myResultToken',
      trigger: {
        kind: 'change',
        change: {
          kind: 'oversized',
          summary: { resourceType: 'AWS::EC2::Instance', resourceId: 'i-00000000' },
        },
      },
    });
  });

  it('refuses the sample whose account id has 13 digits (in its rule ARN too), naming the field', () => {
    expect(
      failure(loadSample('powertools__ConfigRuleInvocation-ConfigurationChanged__1.json')),
    ).toEqual({
      field: 'configRuleArn',
      problem: 'expected arn:<partition>:config:<region>:<account>:config-rule/<id>',
    });
    const sample = loadSample('powertools__ConfigRuleInvocation-ConfigurationChanged__1.json');
    expect(
      failure({
        ...sample,
        configRuleArn: 'arn:aws:config:us-east-1:123456789012:config-rule/config-rule-0123456',
      }),
    ).toEqual({
      field: 'accountId',
      problem: '"0123456789012": expected a 12-digit AWS account id',
    });
  });

  it('TESTMODE (the RDK convention) and only that token means test mode', () => {
    expect(parseConfigRuleInvocation({ ...sg, resultToken: 'TESTMODE' }).testMode).toBe(true);
    expect(parseConfigRuleInvocation({ ...sg, resultToken: 'testmode' }).testMode).toBe(false);
  });

  it('reads a periodic invocation', () => {
    const scheduled = {
      ...sg,
      invokingEvent: JSON.stringify({
        awsAccountId: '123456789012',
        notificationCreationTime: '2026-12-04T10:00:00.000Z',
        messageType: 'ScheduledNotification',
        recordVersion: '1.0',
      }),
    };
    expect(parseConfigRuleInvocation(scheduled).trigger).toEqual({
      kind: 'scheduled',
      notificationTime: '2026-12-04T10:00:00.000Z',
    });
  });

  it('names the field and what is allowed for bad input, within the stated bounds', () => {
    const noToken: Record<string, unknown> = { ...sg };
    delete noToken.resultToken;
    expect(failure(noToken)).toEqual({ field: 'resultToken', problem: 'is missing' });
    expect(failure({ ...sg, invokingEvent: '{not json' }).field).toBe('invokingEvent');
    expect(
      failure({
        ...sg,
        invokingEvent: 'x'.repeat(CONFIG_RULE_INVOCATION_LIMITS.invokingEventChars + 1),
      }).field,
    ).toBe('invokingEvent');
    expect(failure({ ...sg, configRuleName: 'r'.repeat(129) }).field).toBe('configRuleName');
    expect(
      failure({ ...sg, configRuleArn: 'arn:aws:config:eu-west-1:123456789012:rule/x' }),
    ).toEqual({
      field: 'configRuleArn',
      problem: 'expected arn:<partition>:config:<region>:<account>:config-rule/<id>',
    });
    const wrongType = failure({
      ...sg,
      invokingEvent: JSON.stringify({
        messageType: 'ComplianceChangeNotification',
        notificationCreationTime: 'x',
      }),
    });
    expect(wrongType.field).toBe('invokingEvent.messageType');
    expect(wrongType.problem).toContain('ScheduledNotification');
    const item = JSON.parse(sg.invokingEvent as string) as {
      configurationItem: Record<string, unknown>;
    };
    delete item.configurationItem.resourceId;
    expect(failure({ ...sg, invokingEvent: JSON.stringify(item) })).toEqual({
      field: 'invokingEvent.configurationItem.resourceId',
      problem: 'is missing',
    });
  });
});
