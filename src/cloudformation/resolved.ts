import { IntrinsicResolver, ResourceReference, Unresolved, findUnresolved } from './intrinsics';
import type { Template } from './template';

export { ResourceReference, Unresolved, findUnresolved };

export interface ResolvedResource {
  logicalId: string;
  /** CloudFormation type, e.g. `AWS::EC2::SecurityGroup`. */
  type: string;
  line: number;
  /** Properties with intrinsics resolved; unknowable values are `Unresolved` markers. */
  properties: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface ResolvedTemplate {
  file: string;
  resources: ResolvedResource[];
  /** Resources whose Condition cannot be decided from the template (deployed or not). */
  byLogicalId: ReadonlyMap<string, ResolvedResource>;
}

/**
 * Resolves every resource of a template. Resources whose Condition is false are left out;
 * those whose Condition is unknowable are kept (judged as if deployed).
 */
export function resolveTemplate(template: Template): ResolvedTemplate {
  const resolver = new IntrinsicResolver(template);
  const resources: ResolvedResource[] = [];
  for (const r of template.resources) {
    if (r.condition && resolver.condition(r.condition) === false) continue;
    resources.push({
      logicalId: r.logicalId,
      type: r.type,
      line: r.line,
      properties: (resolver.resolve(r.properties) as Record<string, unknown>) ?? {},
      metadata: r.metadata,
    });
  }
  return {
    file: template.file,
    resources,
    byLogicalId: new Map(resources.map((r) => [r.logicalId, r])),
  };
}

/** A resource judged from a template: a snapshot, or the reason it cannot be built. */
export type TemplateSubject<S> =
  | { logicalId: string; line: number; cfnType: string; snapshot: S }
  | { logicalId: string; line: number; cfnType: string; unknown: string };

/** Reads a string property; Unresolved passes through; a resource reference becomes its logical id. */
export function stringOrRef(value: unknown): string | Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (value instanceof ResourceReference) return value.logicalId;
  if (value === undefined || value === null) return undefined;
  return String(value);
}
