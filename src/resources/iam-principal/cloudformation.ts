import {
  findUnresolved,
  ResourceReference,
  Unresolved,
  type ResolvedResource,
  type ResolvedTemplate,
  type TemplateSubject,
} from '../../cloudformation/resolved';
import { knownString, physicalName } from '../../cloudformation/subjects';
import {
  IAM_PRINCIPAL,
  iamRef,
  type AttachedPolicy,
  type IamPrincipalSnapshot,
  type PrincipalKind,
  type PrincipalRef,
} from './index';

const PRINCIPALS: Record<string, { kind: PrincipalKind; nameKey: string }> = {
  'AWS::IAM::User': { kind: 'user', nameKey: 'UserName' },
  'AWS::IAM::Group': { kind: 'group', nameKey: 'GroupName' },
  'AWS::IAM::Role': { kind: 'role', nameKey: 'RoleName' },
};
const POLICY_TYPES = new Set(['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy']);

/**
 * The first unresolved value that could decide whether a statement allows `*` on `*`. A
 * statement whose known Effect is not Allow, or whose fully known Action has no `*`, cannot,
 * whatever its Resource or Condition say.
 */
function documentUnresolved(doc: unknown, path: string) {
  const statements = (doc as { Statement?: unknown } | undefined)?.Statement;
  if (statements === undefined) return findUnresolved(doc, path);
  if (typeof statements !== 'object' || statements === null || statements instanceof Unresolved) {
    return findUnresolved(statements, `${path}.Statement`);
  }
  const list = Array.isArray(statements) ? statements : [statements];
  for (const [i, raw] of list.entries()) {
    const at = `${path}.Statement[${i}]`;
    if (typeof raw !== 'object' || raw === null) {
      const found = findUnresolved(raw, at);
      if (found) return found;
      continue;
    }
    const s = raw as Record<string, unknown>;
    if (typeof s.Effect === 'string' && s.Effect !== 'Allow') continue;
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    if (!findUnresolved(s.Action) && !actions.some((a) => a === '*' || a === '*:*')) continue;
    for (const key of ['Effect', 'Action', 'Resource']) {
      const found = findUnresolved(s[key], `${at}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

function unknownSubject(r: ResolvedResource, found: { path: string; reason: string }) {
  return {
    logicalId: r.logicalId,
    line: r.line,
    cfnType: r.type,
    unknown: `${found.path}: ${found.reason}`,
  };
}

/** The name a principal of this template, or named literally, has. */
function principalName(template: ResolvedTemplate, value: unknown): string | undefined {
  if (value instanceof ResourceReference) {
    const target = template.byLogicalId.get(value.logicalId);
    const kind = target && PRINCIPALS[target.type];
    return target && kind ? physicalName(target, kind.nameKey) : value.logicalId;
  }
  return knownString(value);
}

/** A managed policy ARN; a customer-managed policy of this template carries its document. */
function attached(template: ResolvedTemplate, value: unknown): AttachedPolicy {
  if (value instanceof ResourceReference) {
    const target = template.byLogicalId.get(value.logicalId);
    const name = target ? physicalName(target, 'ManagedPolicyName') : value.logicalId;
    return { arn: name, name, ...(target ? { document: target.properties.PolicyDocument } : {}) };
  }
  const arn = String(value);
  return { arn, name: arn.split('/').pop()! };
}

function principalSubject(
  template: ResolvedTemplate,
  r: ResolvedResource,
  kind: PrincipalKind,
  nameKey: string,
): TemplateSubject<IamPrincipalSnapshot> {
  const arns = r.properties.ManagedPolicyArns;
  const found = findUnresolved(arns, 'ManagedPolicyArns');
  if (found) return unknownSubject(r, found);
  const inline = (Array.isArray(r.properties.Policies) ? r.properties.Policies : []) as Record<
    string,
    unknown
  >[];
  for (const [i, p] of inline.entries()) {
    const bad = documentUnresolved(p.PolicyDocument, `Policies[${i}].PolicyDocument`);
    if (bad) return unknownSubject(r, bad);
  }
  const attachedPolicies = (Array.isArray(arns) ? arns : []).map((a) => attached(template, a));
  for (const p of attachedPolicies) {
    const bad =
      p.document !== undefined &&
      documentUnresolved(p.document, `ManagedPolicyArns(${p.name}).PolicyDocument`);
    if (bad) return unknownSubject(r, bad);
  }
  const name = physicalName(r, nameKey);
  const arn = `arn:aws:iam:::${kind}/${name}`;
  return {
    logicalId: r.logicalId,
    line: r.line,
    cfnType: r.type,
    snapshot: {
      type: IAM_PRINCIPAL,
      ref: iamRef(kind, '', name, arn),
      kind,
      name,
      arn,
      attachedPolicies,
      inlinePolicies: inline.map((p) => ({
        name: knownString(p.PolicyName) ?? '',
        document: p.PolicyDocument,
      })),
      attachments: [],
    },
  };
}

/**
 * `AWS::IAM::ManagedPolicy` and `AWS::IAM::Policy` judged as a policy document with the
 * principals it names (`Users`, `Groups`, `Roles`), so a finding points at the resource that
 * grants the access. A principal that only references a customer-managed policy of the
 * template also carries its document.
 */
function policySubject(
  template: ResolvedTemplate,
  r: ResolvedResource,
): TemplateSubject<IamPrincipalSnapshot> {
  const bad = documentUnresolved(r.properties.PolicyDocument, 'PolicyDocument');
  if (bad) return unknownSubject(r, bad);
  const attachments: PrincipalRef[] = [];
  for (const [key, kind] of [
    ['Users', 'user'],
    ['Groups', 'group'],
    ['Roles', 'role'],
  ] as const) {
    const list = r.properties[key];
    const found = findUnresolved(list, key);
    if (found) return unknownSubject(r, found);
    for (const v of Array.isArray(list) ? list : []) {
      const name = principalName(template, v);
      if (name) attachments.push({ kind, name, arn: `arn:aws:iam:::${kind}/${name}` });
    }
  }
  const name = physicalName(r, r.type === 'AWS::IAM::Policy' ? 'PolicyName' : 'ManagedPolicyName');
  return {
    logicalId: r.logicalId,
    line: r.line,
    cfnType: r.type,
    snapshot: {
      type: IAM_PRINCIPAL,
      ref: iamRef('policy', '', name, name),
      kind: 'policy',
      name,
      arn: name,
      attachedPolicies: [{ arn: name, name, document: r.properties.PolicyDocument }],
      inlinePolicies: [],
      attachments,
    },
  };
}

/** IAM users, groups, roles (managed policy ARNs, inline `Policies`) and policy resources. */
export function iamPrincipalsFromTemplate(
  template: ResolvedTemplate,
): TemplateSubject<IamPrincipalSnapshot>[] {
  const subjects: TemplateSubject<IamPrincipalSnapshot>[] = [];
  for (const r of template.resources) {
    const p = PRINCIPALS[r.type];
    if (p) subjects.push(principalSubject(template, r, p.kind, p.nameKey));
    else if (POLICY_TYPES.has(r.type)) subjects.push(policySubject(template, r));
  }
  return subjects;
}
