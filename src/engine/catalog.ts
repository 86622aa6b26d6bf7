import { attributedRemediator, attributedType } from './attribution';
import {
  IAM_ACTION_PATTERN,
  type AnyPolicy,
  type AnyRemediator,
  type AnyResourceType,
  type IamScope,
} from './definitions';
import {
  FRAMEWORK_IDS,
  FRAMEWORKS,
  controlKey,
  type ControlRef,
  type FrameworkId,
} from './frameworks';

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
  /** Where each IAM service's writes are granted: declared by resource types and remediators. */
  readonly writeScopes: ReadonlyMap<string, IamScope>;
  private readonly typesBySource = new Map<string, AnyResourceType[]>();
  private readonly typesByConfigType = new Map<string, AnyResourceType>();

  constructor(parts: {
    resourceTypes: readonly AnyResourceType[];
    policies: readonly AnyPolicy[];
    remediators: readonly AnyRemediator[];
  }) {
    const types = parts.resourceTypes.map(attributedType);
    this.resourceTypes = indexBy(types, (t) => t.type, 'resource type');
    this.policies = indexBy(parts.policies, (p) => p.id, 'policy');
    this.remediators = indexBy(
      parts.remediators.map(attributedRemediator),
      (r) => r.id,
      'remediator',
    );
    for (const t of types) {
      const list = this.typesBySource.get(t.eventSource) ?? [];
      list.push(t);
      this.typesBySource.set(t.eventSource, list);
    }
    for (const t of types) {
      checkResourceType(t);
      for (const configType of t.configResourceTypes) {
        const other = this.typesByConfigType.get(configType);
        if (other) {
          throw new CatalogError(
            `resource types ${other.type} and ${t.type} both claim AWS Config type ${configType}`,
            t.type,
          );
        }
        this.typesByConfigType.set(configType, t);
      }
    }
    this.writeScopes = collectWriteScopes(parts.resourceTypes, parts.remediators);
    this.check();
  }

  private check(): void {
    for (const type of this.resourceTypes.values()) {
      // Who sends failures where is found by listing the senders (sweep and event path alike).
      if (type.failureDestinations && !type.enumerate) {
        throw new CatalogError(
          `resource type ${type.type}: failureDestinations, but no enumerator to list its resources with`,
          type.type,
        );
      }
    }
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
      if (policy.readsTags !== undefined && !type.readTags) {
        throw new CatalogError(
          `policy ${policy.id}: readsTags, but resource type ${type.type} has no readTags to read them with`,
          policy.id,
        );
      }
      checkControls(policy);
      if (policy.readsFailureSenders !== undefined && !type.receivesFailures) {
        throw new CatalogError(
          `policy ${policy.id}: readsFailureSenders, but resource type ${type.type} does not receive failures`,
          policy.id,
        );
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
      const bad = all.find((a) => a.includes('*') || !IAM_ACTION_PATTERN.test(a));
      if (bad) {
        throw new CatalogError(
          `remediator ${remediator.id} declares IAM action ${JSON.stringify(bad)}: actions must be service:Action, no wildcards`,
          remediator.id,
        );
      }
      const type = this.resourceTypes.get(remediator.resourceType);
      if (!type) {
        throw new CatalogError(
          `remediator ${remediator.id}: unknown resource type ${remediator.resourceType}`,
          remediator.id,
        );
      }
      const scoped = new Set([
        type.iam.service,
        ...(remediator.alsoWrites ?? []).map((s) => s.service),
      ]);
      const unscoped = remediator.iamActions.write.find((a) => !scoped.has(a.split(':')[0]!));
      if (unscoped) {
        throw new CatalogError(
          `remediator ${remediator.id} writes ${unscoped}, outside its resource type's service (${type.iam.service}): declare that resource's scope in alsoWrites; Rampart never grants a write on "*"`,
          remediator.id,
        );
      }
      const unimplied = Object.keys(remediator.impliedActions ?? {}).find((a) => !all.includes(a));
      if (unimplied) {
        throw new CatalogError(
          `remediator ${remediator.id} says ${unimplied} is implied, but does not declare it`,
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

  /** The resource type that reads items of an AWS Config resource type, if any. */
  typeForConfigType(configType: string): AnyResourceType | undefined {
    return this.typesByConfigType.get(configType);
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

/** Every policy names at least one control, each of a known framework and in its id shape. */
function checkControls(policy: AnyPolicy): void {
  const controls = (policy.controls as readonly ControlRef[] | undefined) ?? [];
  if (controls.length === 0) {
    throw new CatalogError(
      `policy ${policy.id}: controls is empty; name at least one control of ${FRAMEWORK_IDS.join(', ')}`,
      policy.id,
    );
  }
  const seen = new Set<string>();
  for (const control of controls) {
    const framework = FRAMEWORKS[control.framework] as (typeof FRAMEWORKS)[FrameworkId] | undefined;
    if (!framework) {
      throw new CatalogError(
        `policy ${policy.id}: controls: unknown framework ${JSON.stringify(control.framework)} (allowed: ${FRAMEWORK_IDS.join(', ')})`,
        policy.id,
      );
    }
    if (!framework.idPattern.test(control.id)) {
      throw new CatalogError(
        `policy ${policy.id}: controls: ${JSON.stringify(control.id)} is not a control id of ${framework.title} (${framework.idPattern.source})`,
        policy.id,
      );
    }
    const key = controlKey(control);
    if (seen.has(key)) {
      throw new CatalogError(`policy ${policy.id}: controls: ${key} is listed twice`, policy.id);
    }
    seen.add(key);
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

const SERVICE_PREFIX = /^[a-z0-9-]+$/;
const CLOUDFORMATION_TYPE = /^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/;

/** What a resource type must declare about itself: a gap is an error here, never a default. */
function checkResourceType(t: AnyResourceType): void {
  const fail = (message: string): never => {
    throw new CatalogError(`resource type ${t.type}: ${message}`, t.type);
  };
  checkScope(t.iam, (m) => fail(m));
  for (const name of [...t.configResourceTypes, ...t.cloudFormationTypes]) {
    if (!CLOUDFORMATION_TYPE.test(name)) fail(`${JSON.stringify(name)} is not AWS::Service::Type`);
  }
  if (t.configResourceTypes.length === 0 && !t.configNotRecorded) {
    fail(
      'configResourceTypes is empty: list the AWS Config types, or say why in configNotRecorded',
    );
  }
  if (t.fromConfigItem && t.configResourceTypes.length === 0) {
    fail('has fromConfigItem but no configResourceTypes');
  }
  if (t.fromTemplate && t.cloudFormationTypes.length === 0) {
    fail('has fromTemplate but no cloudFormationTypes');
  }
}

function checkScope(scope: IamScope, fail: (message: string) => never): void {
  if (!SERVICE_PREFIX.test(scope.service)) {
    fail(`IAM service ${JSON.stringify(scope.service)} is not an IAM service prefix`);
  }
  const arns = scope.arns('aws', '123456789012');
  if (arns.length === 0) fail(`IAM scope of ${scope.service} lists no ARN`);
  for (const arn of arns) {
    const inAccount = arn.includes(':123456789012:') || scope.accountConditionKey !== undefined;
    if (!arn.startsWith(`arn:aws:${scope.service}:`) || !inAccount) {
      fail(`IAM scope ARN ${arn} is not an ARN of service ${scope.service} in the account`);
    }
  }
  if (scope.accountConditionKey && !scope.accountConditionKey.startsWith(`${scope.service}:`)) {
    fail(`account condition key ${scope.accountConditionKey} is not a key of ${scope.service}`);
  }
  if (!scope.reason.trim()) fail(`IAM scope of ${scope.service} gives no reason`);
}

/** One scope per IAM service; two different declarations of a service's scope are an error. */
function collectWriteScopes(
  types: readonly AnyResourceType[],
  remediators: readonly AnyRemediator[],
): Map<string, IamScope> {
  const scopes = new Map<string, IamScope>();
  const declared: [string, IamScope][] = [
    ...types.map((t): [string, IamScope] => [`resource type ${t.type}`, t.iam]),
    ...remediators.flatMap((r) =>
      (r.alsoWrites ?? []).map((s): [string, IamScope] => [`remediator ${r.id}`, s]),
    ),
  ];
  for (const [by, scope] of declared) {
    checkScope(scope, (m) => {
      throw new CatalogError(`${by}: ${m}`, by);
    });
    const known = scopes.get(scope.service);
    const same = (a: IamScope, b: IamScope) =>
      JSON.stringify(a.arns('aws', '123456789012')) ===
        JSON.stringify(b.arns('aws', '123456789012')) && a.reason === b.reason;
    if (known && !same(known, scope)) {
      throw new CatalogError(
        `${by} declares another IAM scope for ${scope.service} than an earlier declaration; one service has one scope (reuse the resource type's)`,
        by,
      );
    }
    scopes.set(scope.service, known ?? scope);
  }
  return scopes;
}
