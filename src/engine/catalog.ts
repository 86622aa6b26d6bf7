import type { AnyPolicy, AnyRemediator, AnyResourceType } from './definitions';

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  constructor(
    message: string,
    readonly entry?: string,
  ) {
    super(message);
  }
}

/**
 * The registry of resource types, policies and remediators. Built from the packs in
 * `policies/`, `remediators/` and `src/resources/`; the engine looks everything up here,
 * so adding a policy never touches the engine. Consistency is checked once, at build.
 */
export class Catalog {
  readonly resourceTypes: ReadonlyMap<string, AnyResourceType>;
  readonly policies: ReadonlyMap<string, AnyPolicy>;
  readonly remediators: ReadonlyMap<string, AnyRemediator>;
  private readonly typesBySource = new Map<string, AnyResourceType[]>();

  constructor(parts: {
    resourceTypes: readonly AnyResourceType[];
    policies: readonly AnyPolicy[];
    remediators: readonly AnyRemediator[];
  }) {
    this.resourceTypes = indexBy(parts.resourceTypes, (t) => t.type, 'resource type');
    this.policies = indexBy(parts.policies, (p) => p.id, 'policy');
    this.remediators = indexBy(parts.remediators, (r) => r.id, 'remediator');
    for (const t of parts.resourceTypes) {
      const list = this.typesBySource.get(t.eventSource) ?? [];
      list.push(t);
      this.typesBySource.set(t.eventSource, list);
    }
    this.check();
  }

  private check(): void {
    for (const policy of this.policies.values()) {
      const type = this.resourceTypes.get(policy.resourceType);
      if (!type) {
        throw new CatalogError(
          `policy ${policy.id}: unknown resource type ${policy.resourceType}`,
          policy.id,
        );
      }
      for (const trigger of policy.triggers) {
        if (!type.cloudTrail[trigger]) {
          throw new CatalogError(
            `policy ${policy.id}: trigger ${trigger} cannot be located by resource type ${type.type} (known: ${Object.keys(type.cloudTrail).join(', ')})`,
            policy.id,
          );
        }
      }
      if (policy.remediatorId) {
        const remediator = this.remediators.get(policy.remediatorId);
        if (!remediator) {
          throw new CatalogError(
            `policy ${policy.id}: unknown remediator ${policy.remediatorId}`,
            policy.id,
          );
        }
        if (remediator.resourceType !== policy.resourceType) {
          throw new CatalogError(
            `policy ${policy.id}: remediator ${remediator.id} is for ${remediator.resourceType}, not ${policy.resourceType}`,
            policy.id,
          );
        }
      }
    }
    for (const remediator of this.remediators.values()) {
      if (remediator.iamActions.write.length === 0) {
        throw new CatalogError(
          `remediator ${remediator.id} declares no IAM write actions`,
          remediator.id,
        );
      }
      const all = [...remediator.iamActions.read, ...remediator.iamActions.write];
      const bad = all.find((a) => a.includes('*') || !/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(a));
      if (bad) {
        throw new CatalogError(
          `remediator ${remediator.id} declares IAM action ${JSON.stringify(bad)}: actions must be service:Action, no wildcards`,
          remediator.id,
        );
      }
      const unconditioned = Object.keys(remediator.iamConditions ?? {}).find(
        (a) => !remediator.iamActions.write.includes(a),
      );
      if (unconditioned) {
        throw new CatalogError(
          `remediator ${remediator.id} declares a condition for ${unconditioned}, which is not one of its write actions`,
          remediator.id,
        );
      }
    }
  }

  /** Resource types of a CloudTrail eventSource (empty for services no policy watches). */
  typesForSource(eventSource: string): readonly AnyResourceType[] {
    return this.typesBySource.get(eventSource) ?? [];
  }

  /** Policies on a resource type that a given CloudTrail event name triggers. */
  policiesTriggeredBy(resourceType: string, eventName: string): AnyPolicy[] {
    return [...this.policies.values()].filter(
      (p) => p.resourceType === resourceType && p.triggers.includes(eventName),
    );
  }

  policiesFor(resourceType: string): AnyPolicy[] {
    return [...this.policies.values()].filter((p) => p.resourceType === resourceType);
  }
}

function indexBy<T>(items: readonly T[], key: (t: T) => string, what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (map.has(k)) throw new CatalogError(`duplicate ${what} ${k}`, k);
    map.set(k, item);
  }
  return map;
}
