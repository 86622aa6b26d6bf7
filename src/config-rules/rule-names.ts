import type { RampartConfig } from '../config';
import type { Catalog } from '../engine/catalog';
import type { AnyPolicy } from '../engine/definitions';

/** The AWS Config rule Rampart deploys for a policy (the CDK app and the handler agree on it). */
export const configRuleNameOf = (policyId: string): string => `rampart-${policyId}`;

/**
 * The policies a Config custom rule can stand for: enabled, and of a type AWS Config
 * records. Keyed by rule name.
 */
export function configRulePolicies(
  catalog: Catalog,
  config: RampartConfig,
): Map<string, AnyPolicy> {
  const rules = new Map<string, AnyPolicy>();
  for (const policy of catalog.policies.values()) {
    if (!config.policies[policy.id]?.enabled) continue;
    const type = catalog.resourceTypes.get(policy.resourceType);
    if (!type || type.configResourceTypes.length === 0) continue;
    rules.set(configRuleNameOf(policy.id), policy);
  }
  return rules;
}
