import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import {
  EVENTBRIDGE_RULE,
  type EventBridgeRuleSnapshot,
} from '../src/resources/eventbridge-rule/snapshot';

export const eventbridgeTargetHasDlqParameters = z.strictObject({});
export type EventbridgeTargetHasDlqParameters = z.output<typeof eventbridgeTargetHasDlqParameters>;

export const eventbridgeTargetHasDlq = definePolicy<
  EventBridgeRuleSnapshot,
  EventbridgeTargetHasDlqParameters
>({
  id: 'eventbridge-target-has-dlq',
  title: 'EventBridge rule targets have a dead-letter queue',
  description: 'Each target of a rule without a DeadLetterConfig violates.',
  rationale:
    'An event EventBridge cannot deliver to a target after its retry policy is dropped; a dead-letter queue keeps it with the error that stopped it.',
  severity: 'medium',
  pillar: 'reliability',
  controls: [{ framework: 'aws-well-architected', id: 'REL05-BP04' }],
  resourceType: EVENTBRIDGE_RULE,
  triggers: ['PutTargets', 'PutRule'],
  defaultMode: 'enforce',
  parameters: eventbridgeTargetHasDlqParameters,
  remediatorId: 'eventbridge-target-add-dlq',
  evaluate(snapshot) {
    if (snapshot.targets.length === 0) return notApplicable('the rule has no targets');
    const offending = snapshot.targets.filter((t) => !t.DeadLetterConfig?.Arn);
    if (offending.length === 0) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `EventBridge rule ${snapshot.ref.id} has ${offending.length} target(s) without a dead-letter queue: ${offending.map((t) => t.Id).join(', ')}.`,
        elements: offending.map((t) => ({
          kind: 'rule-target',
          id: t.Id!,
          description: `target ${t.Id} (${t.Arn}) without DeadLetterConfig`,
        })),
      },
    };
  },
});
