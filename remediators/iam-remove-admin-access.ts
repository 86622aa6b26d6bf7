import {
  DeleteGroupPolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { defineRemediator } from '../src/engine/definitions';
import {
  IAM_PRINCIPAL,
  iamClient,
  readHolder,
  type IamPrincipalSnapshot,
  type PrincipalRef,
} from '../src/resources/iam-principal';
import { isAwsError } from '../src/resources/shared';
import { guarded, verificationFailed } from './support/guarded';

interface Remedy {
  detach?: { principal: PrincipalRef; policyArn: string }[];
  deleteInline?: { principal: PrincipalRef; policyName: string }[];
}

const key = (p: PrincipalRef) => `${p.kind}/${p.name}`;

async function detach(iam: IAMClient, p: PrincipalRef, policyArn: string): Promise<void> {
  if (p.kind === 'user') {
    await iam.send(new DetachUserPolicyCommand({ UserName: p.name, PolicyArn: policyArn }));
  } else if (p.kind === 'role') {
    await iam.send(new DetachRolePolicyCommand({ RoleName: p.name, PolicyArn: policyArn }));
  } else {
    await iam.send(new DetachGroupPolicyCommand({ GroupName: p.name, PolicyArn: policyArn }));
  }
}

async function deleteInline(iam: IAMClient, p: PrincipalRef, policyName: string): Promise<void> {
  if (p.kind === 'user') {
    await iam.send(new DeleteUserPolicyCommand({ UserName: p.name, PolicyName: policyName }));
  } else if (p.kind === 'role') {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: p.name, PolicyName: policyName }));
  } else {
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: p.name, PolicyName: policyName }));
  }
}

/**
 * Takes admin access away: detaches the offending managed policy from each principal (the
 * policy itself is kept) and deletes the offending inline policy, whose full document is
 * recorded in `before` so that it can be put back. Every other permission is left alone.
 */
export const iamRemoveAdminAccess = defineRemediator<IamPrincipalSnapshot>({
  id: 'iam-remove-admin-access',
  description:
    'Detaches AdministratorAccess or a * on * managed policy; deletes a * on * inline policy (document kept in the audit).',
  resourceType: IAM_PRINCIPAL,
  iamActions: {
    // It verifies by reading the principal again, as the resource type reads it.
    read: [
      'iam:GetUser',
      'iam:GetRole',
      'iam:GetGroup',
      'iam:ListAttachedUserPolicies',
      'iam:ListAttachedRolePolicies',
      'iam:ListAttachedGroupPolicies',
      'iam:ListUserPolicies',
      'iam:ListRolePolicies',
      'iam:ListGroupPolicies',
      'iam:GetUserPolicy',
      'iam:GetRolePolicy',
      'iam:GetGroupPolicy',
      'iam:GetPolicy',
      'iam:GetPolicyVersion',
    ],
    write: [
      'iam:DetachUserPolicy',
      'iam:DetachRolePolicy',
      'iam:DetachGroupPolicy',
      'iam:DeleteUserPolicy',
      'iam:DeleteRolePolicy',
      'iam:DeleteGroupPolicy',
    ],
  },
  remediate: ({ clients, snapshot, violation }) =>
    guarded(snapshot, async (changes) => {
      const remedy = (violation.remedy ?? {}) as Remedy;
      const principals = new Map<string, PrincipalRef>();
      for (const x of [...(remedy.detach ?? []), ...(remedy.deleteInline ?? [])])
        principals.set(key(x.principal), x.principal);
      const read = async () => {
        const states = new Map<string, IamPrincipalSnapshot | undefined>();
        for (const [k] of principals) states.set(k, await readHolder(clients, snapshot.ref, k));
        return states;
      };
      const beforeStates = await read();
      const iam = iamClient(clients, snapshot.ref);
      for (const d of remedy.detach ?? []) {
        const state = beforeStates.get(key(d.principal));
        if (!state?.attachedPolicies.some((p) => p.arn === d.policyArn)) continue;
        try {
          await detach(iam, d.principal, d.policyArn);
        } catch (error) {
          if (!isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
          continue; // detached in between
        }
        changes.push(`detached ${d.policyArn} from ${d.principal.kind} ${d.principal.name}`);
      }
      for (const d of remedy.deleteInline ?? []) {
        const state = beforeStates.get(key(d.principal));
        if (!state?.inlinePolicies.some((p) => p.name === d.policyName)) continue;
        try {
          await deleteInline(iam, d.principal, d.policyName);
        } catch (error) {
          if (!isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
          continue;
        }
        changes.push(
          `deleted inline policy ${d.policyName} of ${d.principal.kind} ${d.principal.name} (document in before)`,
        );
      }
      const before = Object.fromEntries(beforeStates);
      if (changes.length === 0)
        return { status: 'already-compliant', changes, before, after: before };
      const afterStates = await read();
      const remaining = [
        ...(remedy.detach ?? []).filter((d) =>
          afterStates.get(key(d.principal))?.attachedPolicies.some((p) => p.arn === d.policyArn),
        ),
        ...(remedy.deleteInline ?? []).filter((d) =>
          afterStates.get(key(d.principal))?.inlinePolicies.some((p) => p.name === d.policyName),
        ),
      ];
      const after = Object.fromEntries(afterStates);
      if (remaining.length > 0) {
        return verificationFailed(
          changes,
          before,
          after,
          `${remaining.length} admin grant(s) still present`,
        );
      }
      return { status: 'reverted', changes, before, after };
    }),
});
