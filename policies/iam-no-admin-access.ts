import * as z from 'zod';
import {
  AWS_PROVISIONED_ROLES,
  AWS_PROVISIONED_ROLE_IDS,
  roleParts,
} from './data/aws-provisioned-roles';
import { definePolicy } from '../src/engine/definitions';
import {
  IAM_PRINCIPAL,
  type IamPrincipalSnapshot,
  type PrincipalRef,
} from '../src/resources/iam-principal/snapshot';

export const iamNoAdminAccessParameters = z.strictObject({
  allowedPrincipals: z
    .array(
      z
        .string()
        .regex(
          /^(arn:aws[a-z-]*:iam::\d{12}:(user|role|group)\/.+|(user|role|group)\/.+)$/,
          'expected an IAM user/role/group ARN or user/<name>, role/<name>, group/<name>',
        ),
    )
    .default([])
    .describe(
      'Break-glass principals allowed to hold admin access: ARNs, or `user/<name>`, `role/<name>`, `group/<name>`.',
    ),
  awsProvisionedRoles: z
    .array(z.enum(AWS_PROVISIONED_ROLE_IDS))
    .default([...AWS_PROVISIONED_ROLE_IDS])
    .describe(
      'Admin roles AWS provisions (policies/data/aws-provisioned-roles.ts), matched exactly on name and path: reported, never reverted. Remove an id to revert it like any other role.',
    ),
  exemptRoles: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'expected an exact IAM role name'),
        path: z
          .string()
          .regex(/^\/(?:[\w+=,.@-]+\/)*$/, 'expected an IAM path such as / or /ops/')
          .default('/'),
        reason: z.string().min(10, 'say why this role may keep admin access'),
      }),
    )
    .default([])
    .describe(
      'More roles to report but never revert, each matched exactly on name and path, with the reason.',
    ),
});
export type IamNoAdminAccessParameters = z.output<typeof iamNoAdminAccessParameters>;

const ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** True when a policy document has an Allow statement with Action `*` on Resource `*`. */
export function allowsEverything(document: unknown): boolean {
  if (typeof document !== 'object' || document === null) return false;
  return asList((document as { Statement?: unknown }).Statement).some((raw) => {
    if (typeof raw !== 'object' || raw === null) return false;
    const s = raw as { Effect?: unknown; Action?: unknown; Resource?: unknown };
    return (
      s.Effect === 'Allow' &&
      asList(s.Action).some((a) => a === '*' || a === '*:*') &&
      asList(s.Resource).includes('*')
    );
  });
}

export function isAllowed(
  p: PrincipalRef,
  arn: string | undefined,
  params: IamNoAdminAccessParameters,
): boolean {
  return params.allowedPrincipals.some(
    (a) =>
      a === `${p.kind}/${p.name}` ||
      (arn !== undefined && a === arn) ||
      (a.startsWith('arn:') && a.endsWith(`:${p.kind}/${p.name}`)),
  );
}

/** Why a role may keep admin access (reported, never reverted), or undefined. */
export function exemptionOf(
  p: PrincipalRef,
  params: IamNoAdminAccessParameters,
): string | undefined {
  if (p.kind !== 'role') return undefined;
  const parts = roleParts(p.arn);
  if (!parts || parts.name !== p.name) return undefined; // no path known: nothing to match exactly
  const provisioned = AWS_PROVISIONED_ROLES.find(
    (r) => params.awsProvisionedRoles.includes(r.id) && r.matches(parts),
  );
  if (provisioned)
    return `role ${p.name} is provisioned by AWS (${provisioned.id}): ${provisioned.why}`;
  const listed = params.exemptRoles.find((r) => r.name === parts.name && r.path === parts.path);
  return listed ? `role ${p.name} is exempt (exemptRoles): ${listed.reason}` : undefined;
}

interface Detach {
  principal: PrincipalRef;
  policyArn: string;
}
interface DeleteInline {
  principal: PrincipalRef;
  policyName: string;
}

export const iamNoAdminAccess = definePolicy<IamPrincipalSnapshot, IamNoAdminAccessParameters>({
  id: 'iam-no-admin-access',
  title: 'No IAM user, group or role has administrator access',
  description:
    'A user, group or role with AdministratorAccess attached, or with an inline or customer-managed policy allowing Action "*" on Resource "*", violates, unless it is an allowed break-glass principal. A new default version of a customer-managed policy is judged on every entity it is attached to.',
  rationale:
    'Full administrator access turns any leaked credential or compromised workload into a full account takeover; admin rights belong to a few audited break-glass principals only.',
  severity: 'critical',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'IAM.1' },
    { framework: 'cis-aws-foundations-3.0', id: '1.16' },
    { framework: 'aws-well-architected', id: 'SEC03-BP02' },
  ],
  resourceType: IAM_PRINCIPAL,
  triggers: [
    'AttachUserPolicy',
    'AttachRolePolicy',
    'AttachGroupPolicy',
    'PutUserPolicy',
    'PutRolePolicy',
    'PutGroupPolicy',
    'CreatePolicyVersion',
    'SetDefaultPolicyVersion',
  ],
  // Taking admin away can break someone's work: a human may grant an exception before the deadline.
  defaultMode: 'approve',
  parameters: iamNoAdminAccessParameters,
  remediatorId: 'iam-remove-admin-access',
  evaluate(snapshot, params) {
    const detach: Detach[] = [];
    const deleteInline: DeleteInline[] = [];
    if (snapshot.kind === 'policy') {
      const policy = snapshot.attachedPolicies[0];
      if (policy && allowsEverything(policy.document)) {
        for (const principal of snapshot.attachments) {
          if (!isAllowed(principal, principal.arn, params))
            detach.push({ principal, policyArn: policy.arn });
        }
      }
    } else {
      const principal: PrincipalRef = {
        kind: snapshot.kind,
        name: snapshot.name,
        arn: snapshot.arn,
      };
      if (isAllowed(principal, snapshot.arn, params)) return { compliant: true };
      for (const p of snapshot.attachedPolicies) {
        if (ADMIN_POLICY.test(p.arn) || allowsEverything(p.document))
          detach.push({ principal, policyArn: p.arn });
      }
      for (const p of snapshot.inlinePolicies) {
        if (allowsEverything(p.document)) deleteInline.push({ principal, policyName: p.name });
      }
    }
    if (detach.length === 0 && deleteInline.length === 0) return { compliant: true };
    // Roles AWS provisions keep their access: reported alongside, left out of the remedy.
    const exemptions = new Map<string, string>();
    for (const { principal } of [...detach, ...deleteInline]) {
      const why = exemptionOf(principal, params);
      if (why) exemptions.set(`${principal.kind}/${principal.name}`, why);
    }
    const isExempt = (p: PrincipalRef) => exemptions.has(`${p.kind}/${p.name}`);
    const note = (p: PrincipalRef) =>
      isExempt(p) ? ' (reported only: provisioned or exempt)' : '';
    const elements = [
      ...detach.map((d) => ({
        kind: 'managed-policy-attachment',
        id: `${d.principal.kind}/${d.principal.name}|${d.policyArn}`,
        description: `${d.policyArn} attached to ${d.principal.kind} ${d.principal.name}${note(d.principal)}`,
      })),
      ...deleteInline.map((d) => ({
        kind: 'inline-policy',
        id: `${d.principal.kind}/${d.principal.name}|${d.policyName}`,
        description: `inline policy ${d.policyName} of ${d.principal.kind} ${d.principal.name} allows * on *${note(d.principal)}`,
      })),
    ];
    const remedy = {
      detach: detach.filter((d) => !isExempt(d.principal)),
      deleteInline: deleteInline.filter((d) => !isExempt(d.principal)),
    };
    const nothingToRevert = remedy.detach.length === 0 && remedy.deleteInline.length === 0;
    return {
      compliant: false,
      finding: {
        message: `${snapshot.kind === 'policy' ? `Policy ${snapshot.name} allows * on * and is attached to` : `IAM ${snapshot.kind} ${snapshot.name} has administrator access:`} ${elements.map((e) => e.description).join('; ')}.`,
        elements,
        remedy,
        ...(nothingToRevert ? { reportOnly: [...new Set(exemptions.values())].join('; ') } : {}),
      },
    };
  },
});
