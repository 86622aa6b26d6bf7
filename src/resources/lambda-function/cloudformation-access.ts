import {
  findUnresolved,
  ResourceReference,
  type ResolvedResource,
  type ResolvedTemplate,
} from '../../cloudformation/resolved';
import { knownString } from '../../cloudformation/subjects';
import { functionNameOf } from './index';

/** The Lambda function a property names: a Ref/GetAtt logical id, or a name or ARN. */
function target(value: unknown): { logicalId?: string; name?: string } {
  if (value instanceof ResourceReference) return { logicalId: value.logicalId };
  return typeof value === 'string' ? { name: functionNameOf(value) } : {};
}

/**
 * `AWS::Lambda::Permission` as the statement Lambda writes for it (Sid: the logical id), so a
 * template is judged by the same check as GetPolicy's answer.
 */
function statementOf(p: Record<string, unknown>, sid: string) {
  const principal = knownString(p.Principal) ?? '';
  const condition: Record<string, Record<string, string>> = {};
  // A source condition holds the grant whatever its value: one known only at deploy time
  // (`!Ref AWS::AccountId`) is kept, as a placeholder.
  const add = (operator: string, key: string, v: unknown) => {
    if (v === undefined) return;
    condition[operator] = { ...condition[operator], [key]: knownString(v) ?? '?' };
  };
  add('ArnLike', 'AWS:SourceArn', p.SourceArn);
  add('StringEquals', 'AWS:SourceAccount', p.SourceAccount);
  add('StringEquals', 'aws:PrincipalOrgID', p.PrincipalOrgID);
  add('StringEquals', 'lambda:EventSourceToken', p.EventSourceToken);
  add('StringEquals', 'lambda:FunctionUrlAuthType', p.FunctionUrlAuthType);
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal:
      principal === '*'
        ? '*'
        : principal.endsWith('.amazonaws.com')
          ? { Service: principal }
          : { AWS: principal },
    Action: knownString(p.Action),
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
}

export interface TemplateFunctionAccess {
  /** The function's resource policy as JSON text (absent: no permission in the template). */
  resourcePolicy?: string;
  functionUrlAuthType?: string;
  /** A permission or URL of this function whose judged properties cannot be resolved. */
  unknown?: string;
}

/** The template's permissions and unqualified URLs, joined to the function they name. */
export function functionAccessIndex(template: ResolvedTemplate) {
  const permissions = template.resources.filter((r) => r.type === 'AWS::Lambda::Permission');
  const urls = template.resources.filter(
    (r) => r.type === 'AWS::Lambda::Url' && r.properties.Qualifier === undefined,
  );
  const names = (fn: ResolvedResource, name: string) => (r: ResolvedResource, key: string) => {
    const t = target(r.properties[key]);
    return t.logicalId === fn.logicalId || t.name === name;
  };
  return (fn: ResolvedResource, name: string): TemplateFunctionAccess => {
    const isMine = names(fn, name);
    const mine = permissions.filter((p) => isMine(p, 'FunctionName'));
    const url = urls.find((u) => isMine(u, 'TargetFunctionArn'));
    for (const [r, keys] of [
      ...mine.map((p) => [p, ['Principal', 'Action', 'FunctionUrlAuthType']] as const),
      ...(url ? [[url, ['AuthType']] as const] : []),
    ]) {
      for (const key of keys) {
        const u = findUnresolved(r.properties[key], `${r.logicalId}.${key}`);
        if (u) return { unknown: `${u.path}: ${u.reason}` };
      }
    }
    const auth = url ? knownString(url.properties.AuthType) : undefined;
    return {
      ...(mine.length
        ? {
            resourcePolicy: JSON.stringify({
              Version: '2012-10-17',
              Statement: mine.map((p) => statementOf(p.properties, p.logicalId)),
            }),
          }
        : {}),
      ...(auth ? { functionUrlAuthType: auth } : {}),
    };
  };
}
