import type { Target } from '@aws-sdk/client-eventbridge';
import type { ResolvedTemplate, TemplateSubject } from '../../cloudformation/resolved';
import { knownString, physicalName, templateSubject } from '../../cloudformation/subjects';
import { nameFromArnOrName } from '../shared';
import {
  DEFAULT_BUS,
  EVENTBRIDGE_RULE,
  eventBridgeRuleRef,
  type EventBridgeRuleSnapshot,
} from './index';

/** `AWS::Events::Rule` `Targets[]` in ListTargetsByRule's shape (Id, Arn, DeadLetterConfig). */
export function eventBridgeRulesFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<EventBridgeRuleSnapshot>[] {
  return template.resources
    .filter((r) => r.type === EVENTBRIDGE_RULE)
    .map((r) =>
      templateSubject(r, ['Targets'], () => {
        const name = physicalName(r, 'Name');
        const bus = nameFromArnOrName(
          knownString(r.properties.EventBusName) ?? DEFAULT_BUS,
          ':event-bus/',
        );
        const ref = eventBridgeRuleRef('', '', bus, name);
        const raw = (Array.isArray(r.properties.Targets) ? r.properties.Targets : []) as Record<
          string,
          unknown
        >[];
        const targets: Target[] = raw.map((t) => {
          const dlq = knownString((t.DeadLetterConfig as Record<string, unknown> | undefined)?.Arn);
          return {
            Id: knownString(t.Id),
            Arn: knownString(t.Arn),
            ...(dlq ? { DeadLetterConfig: { Arn: dlq } } : {}),
          };
        });
        return {
          type: EVENTBRIDGE_RULE,
          ref,
          ruleName: name,
          eventBusName: bus,
          ruleArn: ref.arn,
          targets,
        };
      }),
    );
}
