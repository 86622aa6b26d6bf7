import { existsSync, readdirSync, statSync } from 'node:fs';
import { INPUT_LIMITS, InputTooLargeError, readBoundedFile } from '../io/bounded-read';
import { yamlValue, type YamlValueError } from '../io/yaml';
import { join } from 'node:path';
import YAML, { type CollectionTag, type ScalarTag, type YAMLMap } from 'yaml';

/** A template that cannot be read or parsed; names the file and, where known, the position. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}:${column ?? 1}` : ''}: ${message}`);
  }
}

export interface TemplateResource {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  metadata: Record<string, unknown>;
  condition?: string;
  /** 1-based line of the resource's logical id in the file. */
  line: number;
}

export interface Template {
  file: string;
  parameters: Record<string, { Default?: unknown; Type?: string }>;
  conditions: Record<string, unknown>;
  mappings: Record<string, Record<string, Record<string, unknown>>>;
  resources: TemplateResource[];
}

// CloudFormation's short-form YAML tags: `!Ref X`, `!GetAtt A.B`, `!Sub '...'`, `!Join [...]`.
const SHORT_FORMS: [string, string][] = [
  ['Ref', 'Ref'],
  ['Condition', 'Condition'],
  ...[
    'Base64',
    'Cidr',
    'FindInMap',
    'GetAtt',
    'GetAZs',
    'ImportValue',
    'Join',
    'Select',
    'Split',
    'Sub',
    'Transform',
    'And',
    'Equals',
    'If',
    'Not',
    'Or',
    'ToJsonString',
    'Length',
  ].map((n): [string, string] => [n, `Fn::${n}`]),
];

const CFN_TAGS = SHORT_FORMS.flatMap(([tag, fn]): (ScalarTag | CollectionTag)[] => [
  {
    tag: `!${tag}`,
    resolve: (value: string) => ({ [fn]: fn === 'Fn::GetAtt' ? value.split('.') : value }),
  },
  { tag: `!${tag}`, collection: 'seq', resolve: (node) => ({ [fn]: node.toJSON() }) },
  { tag: `!${tag}`, collection: 'map', resolve: (node) => ({ [fn]: node.toJSON() }) },
]);

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Parses a JSON or YAML CloudFormation template (YAML is a superset of JSON), keeping lines. */
function readTemplate(path: string): string {
  try {
    return readBoundedFile(path, INPUT_LIMITS.template, 'a template').toString('utf8');
  } catch (error) {
    throw new TemplateError(
      error instanceof InputTooLargeError
        ? `larger than ${INPUT_LIMITS.template.toLocaleString('en-US')} bytes, the limit`
        : `cannot be read: ${(error as Error).message}`,
      path,
    );
  }
}

export function parseTemplate(text: string, file: string): Template {
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { customTags: CFN_TAGS, lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const pos = error.linePos?.[0];
    throw new TemplateError(error.message.split('\n')[0]!, file, pos?.line, pos?.col);
  }
  let root: unknown;
  try {
    root = yamlValue(doc, lineCounter);
  } catch (error) {
    // e.g. an alias to an anchor that does not exist, or an alias bomb
    const e = error as YamlValueError;
    throw new TemplateError(e.message, file, e.line, e.column);
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new TemplateError(
      'is not a CloudFormation template (expected an object at the top)',
      file,
      1,
      1,
    );
  }
  const rawResources = (root as Record<string, unknown>).Resources;
  if (typeof rawResources !== 'object' || rawResources === null || Array.isArray(rawResources)) {
    throw new TemplateError('has no Resources section', file, 1, 1);
  }
  const lines = new Map<string, number>();
  const resourcesNode = doc.get('Resources', true) as YAMLMap | undefined;
  for (const pair of resourcesNode?.items ?? []) {
    const key = pair.key as { value?: unknown; range?: [number, number, number] };
    if (key.range) lines.set(String(key.value), lineCounter.linePos(key.range[0]).line);
  }
  const resources: TemplateResource[] = Object.entries(rawResources as Record<string, unknown>).map(
    ([logicalId, raw]) => {
      const r = asRecord(raw);
      if (typeof r.Type !== 'string') {
        throw new TemplateError(
          `Resources.${logicalId}.Type is missing or not a string`,
          file,
          lines.get(logicalId),
        );
      }
      return {
        logicalId,
        type: r.Type,
        properties: asRecord(r.Properties),
        metadata: asRecord(r.Metadata),
        ...(typeof r.Condition === 'string' ? { condition: r.Condition } : {}),
        line: lines.get(logicalId) ?? 1,
      };
    },
  );
  const top = root as Record<string, unknown>;
  return {
    file,
    parameters: asRecord(top.Parameters) as Template['parameters'],
    conditions: asRecord(top.Conditions),
    mappings: asRecord(top.Mappings) as Template['mappings'],
    resources,
  };
}

/** Reads one template file, or every `*.template.json` of a `cdk.out` directory. */
export function loadTemplates(path: string): Template[] {
  if (!existsSync(path)) throw new TemplateError('does not exist', path);
  if (statSync(path).isDirectory()) {
    const files = readdirSync(path)
      .filter((f) => f.endsWith('.template.json'))
      .sort();
    if (files.length === 0) {
      throw new TemplateError('has no *.template.json files (is it a cdk.out directory?)', path);
    }
    return files.map((f) => parseTemplate(readTemplate(join(path, f)), join(path, f)));
  }
  return [parseTemplate(readTemplate(path), path)];
}
