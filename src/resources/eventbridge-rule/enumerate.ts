import {
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  type Rule,
} from '@aws-sdk/client-eventbridge';
import type { ResourceEnumerator } from '../../engine/definitions';
import { pages, readEach } from '../enumeration';
import { isAwsError } from '../shared';
import { listTargets, ruleSnapshot, type EventBridgeRuleSnapshot } from './index';

/** Every bus (ListEventBuses), its rules (ListRules, with ARNs), then each rule's targets. */
export const eventBridgeRuleEnumerator: ResourceEnumerator<EventBridgeRuleSnapshot> = {
  readActions: ['events:ListEventBuses', 'events:ListRules', 'events:ListTargetsByRule'],
  async *list(clients, scope) {
    const events = clients.get(EventBridgeClient, scope);
    const buses: string[] = [];
    for await (const page of pages(
      (NextToken) => events.send(new ListEventBusesCommand({ NextToken, Limit: 100 })),
      (p) => p.NextToken,
    )) {
      for (const bus of page.EventBuses ?? []) if (bus.Name) buses.push(bus.Name);
    }
    for (const bus of buses) {
      for await (const page of pages(
        (NextToken) =>
          events.send(new ListRulesCommand({ EventBusName: bus, NextToken, Limit: 100 })),
        (p) => p.NextToken,
      )) {
        const rules = (page.Rules ?? []).filter((r): r is Rule & { Name: string } => !!r.Name);
        yield* await readEach(scope, rules, async (rule) => {
          try {
            const targets = await listTargets(events, bus, rule.Name);
            return ruleSnapshot(scope, bus, rule.Name, rule.Arn, targets);
          } catch (error) {
            // Deleted between the listing and the read.
            if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
            throw error;
          }
        });
      }
    }
  },
};
