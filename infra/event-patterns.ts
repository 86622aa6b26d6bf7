import type { Catalog } from '../src/engine/catalog';
import type { AnyPolicy } from '../src/engine/definitions';

/**
 * EventBridge patterns generated from the policy catalog: each enabled policy's trigger
 * events (with its resource type's eventSource) become one rule per AWS service, so the rule
 * count grows with services, not policies. Pure: the CDK stacks and the pattern tests both
 * call it, so the patterns are never written by hand twice.
 */
export class EventPatternError extends Error {
  override readonly name = 'EventPatternError';
  constructor(
    message: string,
    readonly eventSource?: string,
  ) {
    super(message);
  }
}

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
export const CONFIG_CHANGE_DETAIL_TYPE = 'Config Configuration Item Change';
/** EventBridge's limit on the length of one rule's event pattern. */
export const MAX_PATTERN_LENGTH = 4096;

export type EventPattern = Record<string, unknown>;

export interface ServiceRule {
  /** Short, stable, CloudFormation-safe name for the rule: `ec2`, `ec2-2` when split. */
  id: string;
  eventSource: string;
  eventNames: string[];
  pattern: EventPattern;
}

/**
 * The EventBridge `source` of a service's CloudTrail events: `aws.<service>`. AWS reserves
 * `aws.*` for its own services (PutEvents refuses it), so pinning it means an event a caller
 * sent with PutEvents, however CloudTrail-like its detail, never matches.
 */
export function awsSourceOf(eventSource: string): string {
  const service = /^([a-z0-9-]+)\.amazonaws\.com$/.exec(eventSource)?.[1];
  if (!service) {
    throw new EventPatternError(
      `eventSource ${JSON.stringify(eventSource)} is not <service>.amazonaws.com`,
      eventSource,
    );
  }
  return `aws.${service}`;
}

function cloudTrailPattern(eventSource: string, eventNames: string[]): EventPattern {
  return {
    source: [awsSourceOf(eventSource)],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: [eventSource],
      eventName: eventNames,
      // Failed calls changed nothing; excluding them here means they never cost an invocation.
      errorCode: [{ exists: false }],
    },
  };
}

/** Greedy split so that no pattern exceeds EventBridge's length limit. */
function chunkByPatternLength(eventSource: string, names: string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  const fits = (list: string[]) =>
    JSON.stringify(cloudTrailPattern(eventSource, list)).length <= MAX_PATTERN_LENGTH;
  for (const name of names) {
    if (fits([...current, name])) {
      current.push(name);
      continue;
    }
    if (!fits([name])) {
      throw new EventPatternError(
        `event name ${name} alone exceeds the ${MAX_PATTERN_LENGTH}-character pattern limit`,
        eventSource,
      );
    }
    chunks.push(current);
    current = [name];
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function serviceName(eventSource: string): string {
  const name = eventSource.replace(/\.amazonaws\.com$/, '').replace(/[^A-Za-z0-9]+/g, '-');
  if (!name) throw new EventPatternError(`cannot name a rule for eventSource ${eventSource}`);
  return name;
}

/**
 * One rule per eventSource of the enabled policies (split only if a service's event names
 * would exceed the pattern length limit). Sorted, so templates are stable across runs.
 */
export function cloudTrailRules(
  catalog: Catalog,
  isEnabled: (policy: AnyPolicy) => boolean = () => true,
): ServiceRule[] {
  const namesBySource = new Map<string, Set<string>>();
  for (const policy of catalog.policies.values()) {
    if (!isEnabled(policy)) continue;
    const type = catalog.resourceTypes.get(policy.resourceType);
    if (!type) {
      throw new EventPatternError(
        `policy ${policy.id}: unknown resource type ${policy.resourceType}`,
      );
    }
    const names = namesBySource.get(type.eventSource) ?? new Set<string>();
    for (const trigger of policy.triggers) names.add(trigger);
    namesBySource.set(type.eventSource, names);
  }
  const rules: ServiceRule[] = [];
  for (const eventSource of [...namesBySource.keys()].sort()) {
    const names = [...namesBySource.get(eventSource)!].sort();
    if (names.length === 0) continue;
    const chunks = chunkByPatternLength(eventSource, names);
    chunks.forEach((eventNames, i) => {
      const base = serviceName(eventSource);
      rules.push({
        id: i === 0 ? base : `${base}-${i + 1}`,
        eventSource,
        eventNames,
        pattern: cloudTrailPattern(eventSource, eventNames),
      });
    });
  }
  return rules;
}

/**
 * The AWS Config resource types (as Config names them) of the resource types that at least
 * one enabled policy judges; a type AWS Config does not record adds none.
 */
export function watchedConfigTypes(
  catalog: Catalog,
  isEnabled: (policy: AnyPolicy) => boolean = () => true,
): string[] {
  const types = new Set<string>();
  for (const policy of catalog.policies.values()) {
    if (!isEnabled(policy)) continue;
    const type = catalog.resourceTypes.get(policy.resourceType);
    for (const configType of type?.configResourceTypes ?? []) types.add(configType);
  }
  return [...types].sort();
}

/**
 * AWS Config configuration-item changes of the given AWS Config resource types. Oversized items
 * carry only a summary, so both places of `resourceType` are matched.
 */
export function configChangePattern(resourceTypes: string[]): EventPattern | undefined {
  if (resourceTypes.length === 0) return undefined;
  return {
    source: ['aws.config'],
    'detail-type': [CONFIG_CHANGE_DETAIL_TYPE],
    detail: {
      $or: [
        { configurationItem: { resourceType: resourceTypes } },
        { configurationItemSummary: { resourceType: resourceTypes } },
      ],
    },
  };
}
