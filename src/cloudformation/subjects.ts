import {
  findUnresolved,
  stringOrRef,
  type ResolvedResource,
  type TemplateSubject,
} from './resolved';

/**
 * One template resource as a subject: `unknown` naming the first judged property that cannot
 * be resolved, else the snapshot `build` makes. Only judged properties are checked, so an
 * unresolvable description or tag changes nothing.
 */
export function templateSubject<S>(
  r: ResolvedResource,
  judged: string[],
  build: () => S,
): TemplateSubject<S> {
  const base = { logicalId: r.logicalId, line: r.line, cfnType: r.type };
  for (const key of judged) {
    const found = findUnresolved(r.properties[key], key);
    if (found) return { ...base, unknown: `${found.path}: ${found.reason}` };
  }
  return { ...base, snapshot: build() };
}

/** A literal string property, or the logical id when the physical name is generated or unknown. */
export function physicalName(r: ResolvedResource, key: string): string {
  const v = stringOrRef(r.properties[key]);
  return typeof v === 'string' && v !== '' ? v : r.logicalId;
}

/** A string (or a reference's logical id); undefined for absent or unresolved values. */
export function knownString(value: unknown): string | undefined {
  const v = stringOrRef(value);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A resource scope for template snapshots: account and region are unknown before deploy. */
export const TEMPLATE_SCOPE = { account: '', region: '' } as const;
