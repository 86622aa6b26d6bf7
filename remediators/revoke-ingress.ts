import { EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../src/aws/clients';
import { defineRemediator, type RemediationResult } from '../src/engine/definitions';
import { errorMessage } from '../src/errors';
import {
  SECURITY_GROUP,
  describeRule,
  readSecurityGroupRules,
  type SecurityGroupRule,
  type SecurityGroupSnapshot,
} from '../src/resources/ec2-security-group';

/**
 * "The rule is already gone": AWS names the rule id; moto (and AWS for the permission form)
 * says InvalidPermission.NotFound. Both happen when a lost response is retried.
 */
const NOT_FOUND = new Set(['InvalidSecurityGroupRuleId.NotFound', 'InvalidPermission.NotFound']);

/** The SDK retried the call: an earlier attempt may have been carried out unanswered. */
function sentAndLost(error: unknown): boolean {
  return ((error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) > 1;
}

function revoked(rules: SecurityGroupRule[]): string[] {
  return rules.map((r) => `revoked ${r.ruleId} (${describeRule(r)})`);
}

async function revoke(
  clients: AwsClients,
  snapshot: SecurityGroupSnapshot,
  rules: SecurityGroupRule[],
): Promise<void> {
  await clients.get(EC2Client, snapshot.ref).send(
    new RevokeSecurityGroupIngressCommand({
      GroupId: snapshot.groupId,
      SecurityGroupRuleIds: rules.map((r) => r.ruleId!),
    }),
  );
}

/**
 * Revokes exactly the offending ingress rules by SecurityGroupRuleIds: no other rule of the
 * group is touched, the group itself is never deleted. Works from the snapshot the policy
 * judged (read moments ago), then re-reads to verify.
 */
export const revokeIngress = defineRemediator<SecurityGroupSnapshot>({
  id: 'revoke-ingress',
  description: 'Revokes exactly the offending ingress rules of a security group by rule id.',
  resourceType: SECURITY_GROUP,
  iamActions: {
    read: ['ec2:DescribeSecurityGroupRules'],
    write: ['ec2:RevokeSecurityGroupIngress'],
  },
  async remediate({ clients, snapshot, violation }): Promise<RemediationResult> {
    const wanted = new Set(violation.elements.map((e) => e.id).filter((id): id is string => !!id));
    // A snapshot from an AWS Config item has no rule ids: re-read the live rules and match
    // the offending ones by what they open (their description), never by guesswork.
    const byContent = new Set(violation.elements.filter((e) => !e.id).map((e) => e.description));
    const before =
      byContent.size > 0
        ? await readSecurityGroupRules(clients, snapshot.ref, snapshot.groupId)
        : snapshot.rules;
    const offendingIn = (rules: SecurityGroupRule[]) =>
      rules.filter(
        (r) =>
          !r.isEgress &&
          r.ruleId !== undefined &&
          (wanted.has(r.ruleId) || byContent.has(describeRule(r))),
      );

    let targets = offendingIn(before);
    if (targets.length === 0) {
      return { status: 'already-compliant', changes: [], before, after: before };
    }
    try {
      await revoke(clients, snapshot, targets);
    } catch (error) {
      if (!NOT_FOUND.has((error as { name?: string }).name ?? '')) {
        return { status: 'failed', changes: [], before, after: before, error: errorMessage(error) };
      }
      const current = await readSecurityGroupRules(clients, snapshot.ref, snapshot.groupId);
      const left = offendingIn(current);
      if (left.length === 0) {
        // Every rule was gone when the call was answered. After a retry, the attempt whose
        // response was lost is what removed them: a revert, not "already compliant".
        return sentAndLost(error)
          ? { status: 'reverted', changes: revoked(targets), before, after: current }
          : { status: 'already-compliant', changes: [], before, after: current };
      }
      // Someone (or an earlier delivery of the same event) removed some of them in between:
      // the whole call is refused, so revoke what is still there, once.
      targets = left;
      try {
        await revoke(clients, snapshot, targets);
      } catch (retryError) {
        return {
          status: 'failed',
          changes: [],
          before,
          after: current,
          error: errorMessage(retryError),
        };
      }
    }

    const after = await readSecurityGroupRules(clients, snapshot.ref, snapshot.groupId);
    const remaining = offendingIn(after);
    if (remaining.length > 0) {
      return {
        status: 'failed',
        changes: [],
        before,
        after,
        error: `verification failed: ${remaining.map((r) => r.ruleId).join(', ')} still present after revoke`,
      };
    }
    return { status: 'reverted', changes: revoked(targets), before, after };
  },
});
