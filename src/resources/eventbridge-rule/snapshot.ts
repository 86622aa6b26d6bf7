/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Target } from '@aws-sdk/client-eventbridge';
import type { Snapshot } from '../../engine/definitions';

export const EVENTBRIDGE_RULE = 'AWS::Events::Rule' as const;
export const DEFAULT_BUS = 'default';

export interface EventBridgeRuleSnapshot extends Snapshot {
  type: typeof EVENTBRIDGE_RULE;
  ruleName: string;
  eventBusName: string;
  ruleArn: string;
  /** Targets exactly as ListTargetsByRule returns them: PutTargets takes them back unchanged. */
  targets: Target[];
}

/** Rule ids are `name` on the default bus and `bus/name` on others, as in the rule ARN. */
export function ruleId(bus: string, name: string): string {
  return bus === DEFAULT_BUS ? name : `${bus}/${name}`;
}
