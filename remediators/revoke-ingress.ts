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
      // Someone (or an earlier delivery of the same event) removed a rule in between:
      // the whole call is refused, so re-read and revoke what is still there, once.
      if (!NOT_FOUND.has((error as { name?: string }).name ?? '')) {
        return { status: 'failed', changes: [], before, after: before, error: errorMessage(error) };
      }
      targets = offendingIn(await readSecurityGroupRules(clients, snapshot.ref, snapshot.groupId));
      if (targets.length === 0) {
        return { status: 'already-compliant', changes: [], before, after: before };
      }
      try {
        await revoke(clients, snapshot, targets);
      } catch (retryError) {
        return {
          status: 'failed',
          changes: [],
          before,
          after: before,
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
    return {
      status: 'reverted',
      changes: targets.map((r) => `revoked ${r.ruleId} (${describeRule(r)})`),
      before,
      after,
    };
  },
});
