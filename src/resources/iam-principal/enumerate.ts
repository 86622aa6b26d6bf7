import {
  paginateGetAccountAuthorizationDetails,
  type AttachedPolicy as ApiAttachedPolicy,
  type PolicyDetail,
} from '@aws-sdk/client-iam';
import { partitionOf } from '../../domain';
import type { ResourceEnumerator } from '../../engine/definitions';
import {
  IAM_PRINCIPAL,
  decodePolicyDocument,
  iamClient,
  iamRef,
  isAwsManaged,
  type AttachedPolicy,
  type IamPrincipalSnapshot,
  type PrincipalKind,
} from './index';

interface Holder {
  kind: PrincipalKind;
  name: string;
  arn?: string;
  attached: ApiAttachedPolicy[];
  inline: PolicyDetail[];
}

/**
 * One paginated GetAccountAuthorizationDetails lists every user, group and role with its
 * attached and inline policies, and every customer-managed policy with its versions: no
 * call per principal. Policies are judged through the principals they are attached to (the
 * sweep does not also report each policy, which would count one violation twice).
 */
export const iamPrincipalEnumerator: ResourceEnumerator<IamPrincipalSnapshot> = {
  global: true,
  readActions: ['iam:GetAccountAuthorizationDetails'],
  async *list(clients, scope) {
    const client = iamClient(clients, scope);
    const holders: Holder[] = [];
    const documents = new Map<string, unknown>();
    const filter = ['User', 'Group', 'Role', 'LocalManagedPolicy'] as const;
    for await (const page of paginateGetAccountAuthorizationDetails(
      { client },
      { Filter: [...filter], MaxItems: 1000 },
    )) {
      for (const u of page.UserDetailList ?? []) {
        const [attached, inline] = [u.AttachedManagedPolicies ?? [], u.UserPolicyList ?? []];
        if (u.UserName)
          holders.push({ kind: 'user', name: u.UserName, arn: u.Arn, attached, inline });
      }
      for (const g of page.GroupDetailList ?? []) {
        const [attached, inline] = [g.AttachedManagedPolicies ?? [], g.GroupPolicyList ?? []];
        if (g.GroupName)
          holders.push({ kind: 'group', name: g.GroupName, arn: g.Arn, attached, inline });
      }
      for (const r of page.RoleDetailList ?? []) {
        const [attached, inline] = [r.AttachedManagedPolicies ?? [], r.RolePolicyList ?? []];
        if (r.RoleName)
          holders.push({ kind: 'role', name: r.RoleName, arn: r.Arn, attached, inline });
      }
      for (const p of page.Policies ?? []) {
        const version = p.PolicyVersionList?.find(
          (v) => v.IsDefaultVersion || v.VersionId === p.DefaultVersionId,
        );
        if (p.Arn && version) documents.set(p.Arn, decodePolicyDocument(version.Document));
      }
    }
    scope.discovered?.(holders.length);
    for (const h of holders) yield principalSnapshot(scope, h, documents);
  },
};

function principalSnapshot(
  scope: { account: string; region: string },
  h: Holder,
  documents: ReadonlyMap<string, unknown>,
): IamPrincipalSnapshot {
  const arn = h.arn ?? `arn:${partitionOf(scope.region)}:iam::${scope.account}:${h.kind}/${h.name}`;
  const attachedPolicies: AttachedPolicy[] = h.attached
    .filter((p) => p.PolicyArn)
    .map((p) => {
      const document = isAwsManaged(p.PolicyArn!) ? undefined : documents.get(p.PolicyArn!);
      return {
        arn: p.PolicyArn!,
        name: p.PolicyName ?? p.PolicyArn!.split('/').pop()!,
        ...(document !== undefined ? { document } : {}),
      };
    });
  return {
    type: IAM_PRINCIPAL,
    ref: iamRef(h.kind, scope.account, h.name, arn),
    kind: h.kind,
    name: h.name,
    arn,
    attachedPolicies,
    inlinePolicies: h.inline
      .filter((p) => p.PolicyName)
      .map((p) => ({ name: p.PolicyName!, document: decodePolicyDocument(p.PolicyDocument) })),
    attachments: [],
  };
}
