import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import type { AwsClients } from '../../aws/clients';
import type { ResourceRef } from '../../domain';
import { defineResourceType, type CloudTrailLocator } from '../../engine/definitions';
import { configString, configValue, type ConfigurationItem } from '../../events/config-item';
import { isAwsError, nameFromArnOrName, refOf, requiredString, stringAt } from '../shared';
import { eventBridgeRulesFromTemplate } from './cloudformation';
import { eventBridgeRuleEnumerator } from './enumerate';
import { DEFAULT_BUS, EVENTBRIDGE_RULE, EventBridgeRuleSnapshot, ruleId } from './snapshot';

export * from './snapshot';

export function eventBridgeRuleRef(
  account: string,
  region: string,
  bus: string,
  name: string,
): ResourceRef {
  const id = ruleId(bus, name);
  return refOf(
    EVENTBRIDGE_RULE,
    account,
    region,
    id,
    (p) => `arn:${p}:events:${region}:${account}:rule/${id}`,
  );
}

const byRule =
  (...paths: string[]): CloudTrailLocator =>
  (record, where) => {
    const rawBus = stringAt(record.requestParameters, ['eventBusName']);
    const bus = rawBus ? nameFromArnOrName(rawBus, ':event-bus/') : DEFAULT_BUS;
    const name = requiredString(record, paths);
    return [{ type: EVENTBRIDGE_RULE, ...where, id: ruleId(bus, name), name }];
  };

function busOf(id: string): string {
  return id.includes('/') ? id.slice(0, id.lastIndexOf('/')) : DEFAULT_BUS;
}

export async function readRule(
  clients: AwsClients,
  scope: { account: string; region: string },
  bus: string,
  name: string,
): Promise<EventBridgeRuleSnapshot | undefined> {
  const events = clients.get(EventBridgeClient, scope);
  let arn: string | undefined;
  try {
    const rule = await events.send(new DescribeRuleCommand({ Name: name, EventBusName: bus }));
    arn = rule.Arn;
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
  return ruleSnapshot(scope, bus, name, arn, await listTargets(events, bus, name));
}

export function ruleSnapshot(
  scope: { account: string; region: string },
  bus: string,
  name: string,
  arn: string | undefined,
  targets: Target[],
): EventBridgeRuleSnapshot {
  const ref = eventBridgeRuleRef(scope.account, scope.region, bus, name);
  return {
    type: EVENTBRIDGE_RULE,
    ref,
    ruleName: name,
    eventBusName: bus,
    ruleArn: arn ?? ref.arn,
    targets,
  };
}

/** Every target of a rule (a rule has at most 5; the bound only guards against a looping token). */
export async function listTargets(
  events: EventBridgeClient,
  bus: string,
  name: string,
): Promise<Target[]> {
  const targets: Target[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 100; page++) {
    const out = await events.send(
      new ListTargetsByRuleCommand({ Rule: name, EventBusName: bus, NextToken: nextToken }),
    );
    targets.push(...(out.Targets ?? []));
    nextToken = out.NextToken;
    if (!nextToken) break;
  }
  return targets;
}

/** Config's rule item carries the targets in the same PascalCase shape as the API. */
function fromConfigItem(item: ConfigurationItem): EventBridgeRuleSnapshot {
  const c = item.configuration;
  const name = configString(c, 'name') ?? item.resourceName ?? item.resourceId.split('|').pop()!;
  const bus = nameFromArnOrName(configString(c, 'eventBusName') ?? DEFAULT_BUS, ':event-bus/');
  const ref = eventBridgeRuleRef(item.account, item.region, bus, name);
  const targets = (configValue(c, 'targets') ?? []) as Target[];
  return {
    type: EVENTBRIDGE_RULE,
    ref,
    ruleName: name,
    eventBusName: bus,
    ruleArn: configString(c, 'arn') ?? item.arn ?? ref.arn,
    targets: Array.isArray(targets) ? targets : [],
  };
}

export const eventBridgeRuleType = defineResourceType<EventBridgeRuleSnapshot>({
  type: EVENTBRIDGE_RULE,
  eventSource: 'events.amazonaws.com',
  iam: {
    service: 'events',
    arns: (p, a) => [`arn:${p}:events:*:${a}:rule/*`],
    reason: 'Rule target writes: any rule of this account, found at run time.',
  },
  securityHubType: 'Other',
  configResourceTypes: ['AWS::Events::Rule'],
  cloudFormationTypes: ['AWS::Events::Rule'],
  cloudTrail: { PutTargets: byRule('request.rule'), PutRule: byRule('request.name') },
  ignoredEvents: {
    RemoveTargets: 'removes targets; a remaining target keeps the dead-letter config it had',
  },
  readActions: ['events:DescribeRule', 'events:ListTargetsByRule'],
  collect: (clients, locator) =>
    readRule(clients, locator, busOf(locator.id!), locator.name ?? locator.id!.split('/').pop()!),
  fromConfigItem,
  fromTemplate: eventBridgeRulesFromTemplate,
  failureDestinations: (s) =>
    s.targets.map((t) => t.DeadLetterConfig?.Arn).filter((a): a is string => !!a),
  enumerate: eventBridgeRuleEnumerator,
});
