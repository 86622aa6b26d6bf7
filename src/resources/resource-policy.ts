/**
 * Resource-based policies (a bucket policy, a function's policy) as normalized statements,
 * so policies judge them without parsing JSON. SDK-free: policies import it.
 */

export interface PolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** `*` (anyone), or `<kind>:<value>` (`AWS:arn:aws:iam::…`, `Service:s3.amazonaws.com`). */
  principals: string[];
  /** The statement names NotPrincipal / NotAction / NotResource instead. */
  negated: { principal: boolean; action: boolean; resource: boolean };
  actions: string[];
  resources: string[];
  /** Operator (as written) → condition key (lower case: keys are case-insensitive) → values. */
  conditions: Record<string, Record<string, string[]>>;
}

/** A resource policy that cannot be read: it is never judged compliant. */
export class ResourcePolicyError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ResourcePolicyError';
  }
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : [v].flat());
const strings = (v: unknown): string[] =>
  list(v).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));

function principalsOf(p: unknown): string[] {
  if (p === '*') return ['*'];
  if (!p || typeof p !== 'object') return [];
  return Object.entries(p as Record<string, unknown>).flatMap(([kind, values]) =>
    strings(values).map((v) => (kind === 'AWS' && v === '*' ? '*' : `${kind}:${v}`)),
  );
}

function conditionsOf(c: unknown): PolicyStatement['conditions'] {
  if (!c || typeof c !== 'object') return {};
  return Object.fromEntries(
    Object.entries(c as Record<string, unknown>).map(([operator, keys]) => [
      operator,
      Object.fromEntries(
        Object.entries((keys ?? {}) as Record<string, unknown>).map(([k, v]) => [
          k.toLowerCase(),
          // JSON booleans and numbers are compared as IAM compares them: as strings.
          list(v).map((x) => String(x)),
        ]),
      ),
    ]),
  );
}

/** The statements of a policy document already parsed (a template's PolicyDocument). */
export function statementsOf(doc: unknown, field: string): PolicyStatement[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ResourcePolicyError(field, 'expected a policy document (a JSON object)');
  }
  return list((doc as { Statement?: unknown }).Statement).map((raw, i) => {
    if (!raw || typeof raw !== 'object') {
      throw new ResourcePolicyError(`${field}.Statement[${i}]`, 'expected an object');
    }
    const s = raw as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') {
      throw new ResourcePolicyError(
        `${field}.Statement[${i}].Effect`,
        `expected Allow or Deny, got ${JSON.stringify(s.Effect)}`,
      );
    }
    return {
      ...(typeof s.Sid === 'string' ? { sid: s.Sid } : {}),
      effect: s.Effect,
      principals: principalsOf(s.Principal ?? s.NotPrincipal),
      negated: {
        principal: s.NotPrincipal !== undefined,
        action: s.NotAction !== undefined,
        resource: s.NotResource !== undefined,
      },
      actions: strings(s.Action ?? s.NotAction),
      resources: strings(s.Resource ?? s.NotResource),
      conditions: conditionsOf(s.Condition),
    };
  });
}

/** Resource policies of S3 and Lambda are at most 20 KB; anything longer is refused unread. */
export const MAX_RESOURCE_POLICY_BYTES = 20_480;

/** The statements of a policy as the API returns it (JSON text). */
export function parseResourcePolicy(text: string, field: string): PolicyStatement[] {
  if (Buffer.byteLength(text) > MAX_RESOURCE_POLICY_BYTES) {
    throw new ResourcePolicyError(field, `longer than ${MAX_RESOURCE_POLICY_BYTES} bytes`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ResourcePolicyError(field, 'not valid JSON');
  }
  return statementsOf(doc, field);
}

/** The statement applies to any principal at all (`"*"` or `{"AWS": "*"}`). */
export function appliesToAnyone(s: PolicyStatement): boolean {
  return !s.negated.principal && s.principals.includes('*');
}

/** `pattern` (IAM wildcards `*` and `?`, case-sensitive) matches `value`. */
export function wildcardMatches(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

/** The statement's actions cover `action` (`service:Name`; service and name case-insensitive). */
export function coversAction(s: PolicyStatement, action: string): boolean {
  return (
    !s.negated.action &&
    s.actions.some((a) => wildcardMatches(a.toLowerCase(), action.toLowerCase()))
  );
}

/** The condition values of `key` under `operator` (and its `…IfExists` form). */
export function conditionValues(s: PolicyStatement, operator: string, key: string): string[] {
  const k = key.toLowerCase();
  return [
    ...(s.conditions[operator]?.[k] ?? []),
    ...(s.conditions[`${operator}IfExists`]?.[k] ?? []),
  ];
}

/** Every condition key of the statement (lower case), whatever its operator. */
export function conditionKeys(s: PolicyStatement): string[] {
  return Object.values(s.conditions).flatMap((c) => Object.keys(c));
}
