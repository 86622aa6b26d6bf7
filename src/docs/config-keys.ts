import * as z from 'zod';
import type { Catalog } from '../engine/catalog';
import { configSchema } from '../config';

/** One key of the configuration file, as the schema states it. */
export interface ConfigKey {
  /** Dotted path, e.g. `compliance.sweep.concurrency`. */
  path: string;
  type: string;
  /** A key whose value is an object of further keys. */
  section: boolean;
  description?: string;
  /** What the value may be, when the schema says more than the type. */
  allowed?: string;
}

/** The parts of zod's JSON Schema output the docs read. */
export interface JsonSchema {
  type?: string | string[];
  default?: unknown;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
}

/** A value for a Markdown table cell. */
export const markdownCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A schema's type as the docs print it: `integer`, `string[]`, `"a" | "b"`, `(x or y)[]`. */
export function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeOf).join(' or ');
  if (s.type === 'array') {
    const item = s.items ? typeOf(s.items) : 'any';
    return item.includes(' ') ? `(${item})[]` : `${item}[]`;
  }
  if (s.properties) return 'object';
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    return `map of ${typeOf(s.additionalProperties)}`;
  }
  return Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
}

function allowedOf(s: JsonSchema): string | undefined {
  const target = s.type === 'array' && s.items ? s.items : s;
  const parts: string[] = [];
  if (target.pattern) parts.push(`matches \`${target.pattern}\``);
  if (target.minimum !== undefined || target.maximum !== undefined) {
    parts.push(`${target.minimum ?? '…'} to ${target.maximum ?? '…'}`);
  }
  return parts.length ? parts.join('; ') : undefined;
}

/** Every key of the configuration file, depth first, in schema order. */
export function configKeys(catalog: Catalog): ConfigKey[] {
  const root = z.toJSONSchema(configSchema(catalog), {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  const keys: ConfigKey[] = [];
  const walk = (schema: JsonSchema, prefix: string) => {
    for (const [name, raw] of Object.entries(schema.properties ?? {})) {
      const s = (raw.anyOf ?? []).find((a) => a.properties) ?? raw;
      const path = prefix ? `${prefix}.${name}` : name;
      const section = !!s.properties;
      const allowed = allowedOf(s);
      keys.push({
        path,
        type: typeOf(s),
        section,
        ...((s.description ?? raw.description)
          ? { description: (s.description ?? raw.description)! }
          : {}),
        ...(allowed ? { allowed } : {}),
      });
      if (section) walk(s, path);
    }
  };
  walk(root, '');
  return keys;
}
