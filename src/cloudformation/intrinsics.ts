import { TemplateError } from './template';
import type { Template } from './template';

/** A value that cannot be known before deployment; carries why, for the `unknown` report. */
export class Unresolved {
  constructor(readonly reason: string) {}
}

/** `Ref` / `Fn::GetAtt` of another resource in the same template. */
export class ResourceReference {
  constructor(
    readonly logicalId: string,
    readonly attribute?: string,
  ) {}
}

const NO_VALUE = Symbol('AWS::NoValue');
const KNOWN_PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * Resolves intrinsic functions as far as a template alone allows: parameters with
 * defaults, conditions on them, mappings, Sub/Join/Select/Split on known strings. Anything
 * else becomes an `Unresolved` with the reason — never a guess.
 */
export class IntrinsicResolver {
  private readonly logicalIds: Set<string>;

  constructor(private readonly template: Template) {
    this.logicalIds = new Set(template.resources.map((r) => r.logicalId));
  }

  resolve(value: unknown): unknown {
    const out = this.walk(value);
    return out === NO_VALUE ? undefined : out;
  }

  /** true/false, or Unresolved when the condition depends on something unknown. */
  condition(name: string, seen = new Set<string>()): boolean | Unresolved {
    if (seen.has(name)) return new Unresolved(`condition ${name} refers to itself`);
    const definition = this.template.conditions[name];
    if (definition === undefined) return new Unresolved(`condition ${name} is not defined`);
    const v = this.evalCondition(definition, new Set([...seen, name]));
    return v;
  }

  private evalCondition(expr: unknown, seen: Set<string>): boolean | Unresolved {
    const [fn, arg] = this.single(expr) ?? [];
    const args = Array.isArray(arg) ? arg : [];
    switch (fn) {
      case 'Condition':
        return this.condition(String(arg), seen);
      case 'Fn::Equals': {
        const [a, b] = args.map((x) => this.walk(x));
        if (a instanceof Unresolved) return a;
        if (b instanceof Unresolved) return b;
        if (a instanceof ResourceReference || b instanceof ResourceReference) {
          return new Unresolved('Fn::Equals compares a resource attribute');
        }
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not': {
        const v = this.evalCondition(args[0], seen);
        return v instanceof Unresolved ? v : !v;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const vs = args.map((x) => this.evalCondition(x, seen));
        const unknown = vs.find((v): v is Unresolved => v instanceof Unresolved);
        if (fn === 'Fn::And') return vs.includes(false) ? false : (unknown ?? true);
        return vs.includes(true) ? true : (unknown ?? false);
      }
      default:
        return new Unresolved(`unsupported condition expression ${JSON.stringify(expr)}`);
    }
  }

  private single(value: unknown): [string, unknown] | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const keys = Object.keys(value);
    if (keys.length !== 1) return undefined;
    const key = keys[0]!;
    return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::')
      ? [key, (value as Record<string, unknown>)[key]]
      : undefined;
  }

  private walk(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((v) => this.walk(v)).filter((v) => v !== NO_VALUE);
    }
    if (typeof value !== 'object' || value === null) return value;
    const intrinsic = this.single(value);
    if (intrinsic) return this.intrinsic(intrinsic[0], intrinsic[1]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = this.walk(v);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private ref(name: string): unknown {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (Object.hasOwn(KNOWN_PSEUDO, name)) return KNOWN_PSEUDO[name];
    if (name.startsWith('AWS::'))
      return new Unresolved(`pseudo parameter ${name} is known only at deploy time`);
    const parameter = Object.hasOwn(this.template.parameters, name)
      ? this.template.parameters[name]
      : undefined;
    if (parameter) {
      return parameter.Default !== undefined
        ? parameter.Default
        : new Unresolved(`parameter ${name} has no default`);
    }
    if (this.logicalIds.has(name)) return new ResourceReference(name);
    return new Unresolved(`Ref to ${name}, which is neither a parameter nor a resource`);
  }

  private strings(values: unknown[], fn: string): string[] | Unresolved {
    const out: string[] = [];
    for (const v of values) {
      if (v instanceof Unresolved) return v;
      if (v instanceof ResourceReference) {
        return new Unresolved(
          `${fn} uses an attribute of resource ${v.logicalId}, known only at deploy time`,
        );
      }
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        return new Unresolved(`${fn} of a non-string value`);
      }
      out.push(String(v));
    }
    return out;
  }

  /**
   * Walks a function's arguments. CloudFormation accepts AWS::NoValue only as a property's
   * value: as a function's argument (`!Select [!Ref AWS::NoValue, ...]`) the template is
   * invalid, and is refused with the function named.
   */
  private walkArgs(fn: string, args: unknown[]): unknown[] {
    const walked = args.map((a) => this.walk(a));
    const at = walked.findIndex((a) => a === NO_VALUE);
    if (at >= 0) {
      throw new TemplateError(
        `${fn}: argument ${at + 1} is AWS::NoValue, which CloudFormation accepts only as a property value`,
        this.template.file,
      );
    }
    return walked;
  }

  private intrinsic(fn: string, arg: unknown): unknown {
    const args = Array.isArray(arg) ? arg : [arg];
    switch (fn) {
      case 'Ref':
        return this.ref(String(arg));
      case 'Fn::GetAtt': {
        const [id, ...attr] = typeof arg === 'string' ? arg.split('.') : (args as string[]);
        return this.logicalIds.has(String(id))
          ? new ResourceReference(String(id), attr.join('.'))
          : new Unresolved(`Fn::GetAtt of unknown resource ${String(id)}`);
      }
      case 'Fn::Sub':
        return this.sub(args);
      case 'Fn::Join': {
        const [delimiter, items] = this.walkArgs(fn, args);
        if (items instanceof Unresolved) return items;
        if (!Array.isArray(items)) return new Unresolved('Fn::Join of a non-list');
        const parts = this.strings(items, 'Fn::Join');
        return parts instanceof Unresolved ? parts : parts.join(String(delimiter));
      }
      case 'Fn::Select': {
        const [index, list] = this.walkArgs(fn, args);
        if (index instanceof Unresolved) return index;
        if (list instanceof Unresolved) return list;
        if (!Array.isArray(list)) return new Unresolved('Fn::Select from a non-list');
        if (!/^\d{1,9}$/.test(String(index))) {
          throw new TemplateError(
            `Fn::Select: the index must be a non-negative integer, got ${JSON.stringify(index)}`,
            this.template.file,
          );
        }
        return (
          list[Number(index)] ?? new Unresolved(`Fn::Select index ${String(index)} out of range`)
        );
      }
      case 'Fn::Split': {
        const [delimiter, source] = this.walkArgs(fn, args);
        if (source instanceof Unresolved) return source;
        return typeof source === 'string'
          ? source.split(String(delimiter))
          : new Unresolved('Fn::Split of a non-string');
      }
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = args;
        const c = this.condition(String(name));
        if (c instanceof Unresolved)
          return new Unresolved(`Fn::If on condition ${String(name)}: ${c.reason}`);
        return this.walk(c ? whenTrue : whenFalse);
      }
      case 'Fn::FindInMap': {
        const [map, first, second] = this.walkArgs(fn, args);
        for (const k of [map, first, second]) if (k instanceof Unresolved) return k;
        const found = this.template.mappings[String(map)]?.[String(first)]?.[String(second)];
        return found === undefined
          ? new Unresolved(
              `Fn::FindInMap ${String(map)}.${String(first)}.${String(second)} not found`,
            )
          : this.walk(found);
      }
      case 'Fn::ImportValue':
        return new Unresolved(
          `imported from another stack (Fn::ImportValue ${JSON.stringify(arg)})`,
        );
      case 'Fn::Base64':
        return this.walk(arg);
      default:
        return new Unresolved(`${fn} cannot be resolved from the template alone`);
    }
  }

  private sub(args: unknown[]): unknown {
    const [templateString, variables] = args;
    if (typeof templateString !== 'string') return new Unresolved('Fn::Sub of a non-string');
    const vars = (typeof variables === 'object' && variables !== null ? variables : {}) as Record<
      string,
      unknown
    >;
    // A Sub that is exactly one reference keeps the reference (e.g. '${Queue.Arn}').
    const only = /^\$\{([^}!]+)\}$/.exec(templateString);
    if (only && !Object.hasOwn(vars, only[1]!)) {
      const [id, ...attr] = only[1]!.split('.');
      if (attr.length > 0 && this.logicalIds.has(id!))
        return new ResourceReference(id!, attr.join('.'));
      return this.ref(only[1]!);
    }
    let unresolved: Unresolved | undefined;
    const text = templateString.replace(
      /\$\{(!?)([^}]+)\}/g,
      (whole, bang: string, name: string) => {
        if (bang) return `\${${name}}`;
        const raw = Object.hasOwn(vars, name)
          ? this.walk(vars[name])
          : name.includes('.')
            ? this.intrinsic('Fn::GetAtt', name)
            : this.ref(name);
        const parts = this.strings([raw], 'Fn::Sub');
        if (parts instanceof Unresolved) {
          unresolved ??= parts;
          return whole;
        }
        return parts[0]!;
      },
    );
    return unresolved ?? text;
  }
}

/** The first Unresolved inside a resolved value, with its property path. */
export function findUnresolved(
  value: unknown,
  path = '',
): { path: string; reason: string } | undefined {
  if (value instanceof Unresolved) return { path, reason: value.reason };
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findUnresolved(v, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null && !(value instanceof ResourceReference)) {
    for (const [k, v] of Object.entries(value)) {
      const found = findUnresolved(v, path ? `${path}.${k}` : k);
      if (found) return found;
    }
  }
  return undefined;
}
