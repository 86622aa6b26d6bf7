import { describe, expect, it } from 'vitest';
import { eventbridgeTargetHasDlq } from '../../policies/eventbridge-target-has-dlq';
import {
  eventBridgeRuleRef,
  type EventBridgeRuleSnapshot,
} from '../../src/resources/eventbridge-rule';

const rule = (
  targets: EventBridgeRuleSnapshot['targets'],
  bus = 'default',
): EventBridgeRuleSnapshot => ({
  type: 'AWS::Events::Rule',
  ref: eventBridgeRuleRef('123456789012', 'eu-west-1', bus, 'nightly'),
  ruleName: 'nightly',
  eventBusName: bus,
  ruleArn: 'arn:aws:events:eu-west-1:123456789012:rule/nightly',
  targets,
});
const params = eventbridgeTargetHasDlq.parameters.parse({});
const DLQ = { Arn: 'arn:aws:sqs:eu-west-1:123456789012:nightly-dlq' };

describe('eventbridge-target-has-dlq', () => {
  it('accepts a rule whose targets all have a DLQ; a rule without targets is not applicable', () => {
    expect(
      eventbridgeTargetHasDlq.evaluate(
        rule([{ Id: 'a', Arn: 'arn:aws:lambda:x', DeadLetterConfig: DLQ }]),
        params,
      ).compliant,
    ).toBe(true);
    expect(eventbridgeTargetHasDlq.evaluate(rule([]), params)).toEqual({
      compliant: null,
      notApplicable: 'the rule has no targets',
    });
  });

  it('flags exactly the targets without a DLQ, by target id', () => {
    const verdict = eventbridgeTargetHasDlq.evaluate(
      rule([
        { Id: 'a', Arn: 'arn:aws:lambda:x', DeadLetterConfig: DLQ },
        { Id: 'b', Arn: 'arn:aws:sqs:y' },
        { Id: 'c', Arn: 'arn:aws:sns:z', DeadLetterConfig: {} },
      ]),
      params,
    );
    expect(verdict.compliant).toBe(false);
    if (verdict.compliant !== false) return;
    expect(verdict.finding.elements.map((e) => e.id)).toEqual(['b', 'c']);
  });

  it('names rules on a custom bus as bus/name', () => {
    const verdict = eventbridgeTargetHasDlq.evaluate(
      rule([{ Id: 'b', Arn: 'arn:aws:sqs:y' }], 'orders-bus'),
      params,
    );
    expect(verdict.compliant === false && verdict.finding.message).toContain('orders-bus/nightly');
  });
});
