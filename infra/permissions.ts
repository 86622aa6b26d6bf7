import type { RampartConfig } from '../src/config';
import type { Mode } from '../src/domain';
import type { Catalog } from '../src/engine/catalog';
import { failureSenderTypes } from '../src/engine/failure-senders';
import { CONFIG_INPUT_READ_ACTIONS } from '../src/engine/sources/config-item';
import {
  IAM_ACTION_PATTERN,
  type AnyPolicy,
  type IamCondition,
  type IamScope,
} from '../src/engine/definitions';
import { SECURITY_HUB_REPORTER_ACTIONS, SECURITY_HUB_SCOPE } from '../src/reporters/security-hub';
import { AGGREGATOR_READ_ACTIONS } from '../src/sweep/aggregator';
import { CONFIG_RULE_ACTIONS } from '../src/config-rules/evaluate';
import { configRulePolicies } from '../src/config-rules/rule-names';

/**
 * The evaluator's IAM actions, derived from what the catalog declares (never written by
 * hand): writes are the union of the remediators that enabled, remediating policies use;
 * reads are their resource types' collect actions plus those remediators' reads.
 */
export class PermissionError extends Error {
  override readonly name = 'PermissionError';
  constructor(
    message: string,
    readonly action?: string,
  ) {
    super(message);
  }
}

/** Modes in which a violation is never reverted, so the remediator needs no write access. */
const NON_REMEDIATING_MODES: readonly string[] = ['notify', 'dry-run'] satisfies Mode[];

export function isPolicyEnabled(config: RampartConfig): (policy: AnyPolicy) => boolean {
  return (policy) => config.policies[policy.id]?.enabled ?? false;
}

export type { IamCondition };

export interface EvaluatorActions {
  read: string[];
  write: string[];
  /** Conditions declared by the remediators for some of their actions (e.g. kms:CreateGrant). */
  conditions: Record<string, IamCondition>;
  /** Where each written service's writes are granted (from the catalog's declarations). */
  scopes: Record<string, IamScope>;
}

function checked(actions: Iterable<string>): string[] {
  const list = [...new Set(actions)].sort();
  for (const action of list) {
    if (!IAM_ACTION_PATTERN.test(action)) {
      throw new PermissionError(
        `IAM action ${JSON.stringify(action)} is not service:Action (wildcards are not granted)`,
        action,
      );
    }
  }
  return list;
}

export function evaluatorActions(catalog: Catalog, config: RampartConfig): EvaluatorActions {
  const read = new Set<string>();
  const write = new Set<string>();
  const conditions: Record<string, IamCondition> = {};
  const enabled = isPolicyEnabled(config);
  for (const policy of catalog.policies.values()) {
    if (!enabled(policy)) continue;
    const type = catalog.resourceTypes.get(policy.resourceType);
    for (const action of type?.readActions ?? []) read.add(action);
    // The sweep lists the type's resources (in member accounts through the same role).
    for (const action of type?.enumerate?.readActions ?? []) read.add(action);
    // Who sends failures to the resource is found by listing every sender type.
    if (policy.readsFailureSenders !== undefined) {
      for (const sender of failureSenderTypes(catalog)) {
        for (const action of sender.enumerate?.readActions ?? []) read.add(action);
      }
    }
    const mode = config.policies[policy.id]?.mode ?? policy.defaultMode;
    if (!policy.remediatorId || NON_REMEDIATING_MODES.includes(mode)) continue;
    const remediator = catalog.remediators.get(policy.remediatorId);
    if (!remediator) {
      throw new PermissionError(`policy ${policy.id}: unknown remediator ${policy.remediatorId}`);
    }
    for (const action of remediator.iamActions.read) read.add(action);
    for (const action of remediator.iamActions.write) write.add(action);
    for (const [action, condition] of Object.entries(remediator.iamConditions ?? {})) {
      const known = conditions[action];
      if (known && JSON.stringify(known) !== JSON.stringify(condition)) {
        throw new PermissionError(
          `remediator ${remediator.id} declares another condition for ${action} than an earlier remediator; one action is granted under one condition`,
          action,
        );
      }
      conditions[action] = condition;
    }
  }
  // Oversized Config items are read back from Config in the resource's account.
  if (read.size > 0) for (const action of CONFIG_INPUT_READ_ACTIONS) read.add(action);
  if (config.compliance.sweep.aggregator) {
    for (const action of AGGREGATOR_READ_ACTIONS) read.add(action);
  }
  if (config.securityHub.enabled) {
    for (const action of SECURITY_HUB_REPORTER_ACTIONS) write.add(action);
  }
  const writes = checked(write);
  for (const action of Object.keys(conditions)) {
    if (!writes.includes(action)) delete conditions[action]; // its remediator is not in use
  }
  const scopes: Record<string, IamScope> = {};
  for (const service of servicesOf(writes)) {
    const scope = catalog.writeScopes.get(service);
    if (scope) scopes[service] = scope;
  }
  if (config.securityHub.enabled) scopes[SECURITY_HUB_SCOPE.service] = SECURITY_HUB_SCOPE;
  return { read: checked(read), write: writes, conditions, scopes };
}

/** The IAM service prefixes of a list of actions (`ec2:RevokeSecurityGroupIngress` → `ec2`). */
export function servicesOf(actions: readonly string[]): string[] {
  return [...new Set(actions.map((a) => a.split(':')[0]!))].sort();
}

export const READ_WILDCARD_REASON =
  'Describe/List/Get reads have no resource-level permissions in AWS, so they take `*`; no write is ever granted on `*`.';

export interface PolicyGrant {
  sid: string;
  effect?: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
  conditions?: IamCondition;
  /** Why the resources are as wide as they are (what cdk-nag is told for wildcards). */
  reason?: string;
}

/**
 * IAM actions that change what a role or policy allows. Rampart's own roles and its
 * permissions boundary are denied all of them, whatever else is granted, so Rampart can
 * never widen (or unfence) its own permissions.
 */
export const PERMISSION_CHANGING_ACTIONS = {
  role: [
    'iam:AttachRolePolicy',
    'iam:DeleteRole',
    'iam:DeleteRolePermissionsBoundary',
    'iam:DeleteRolePolicy',
    'iam:DetachRolePolicy',
    'iam:PutRolePermissionsBoundary',
    'iam:PutRolePolicy',
    'iam:TagRole',
    'iam:UntagRole',
    'iam:UpdateAssumeRolePolicy',
    'iam:UpdateRole',
  ],
  policy: [
    'iam:CreatePolicyVersion',
    'iam:DeletePolicy',
    'iam:DeletePolicyVersion',
    'iam:SetDefaultPolicyVersion',
    'iam:TagPolicy',
    'iam:UntagPolicy',
  ],
} as const;

function serviceSid(service: string): string {
  return service.replace(/[^A-Za-z0-9]/g, '').replace(/^./, (c) => c.toUpperCase());
}

/**
 * Grants for a role acting in one account: reads on `*` (describe/list/get are not
 * resource-scoped by AWS), writes on the service's declared scope (resource types declare
 * theirs, remediators the ones they write besides), each conditioned action in a statement
 * of its own. A write without a declared scope is an error at synth, never a grant on `*`.
 */
export function evaluatorGrants(
  actions: EvaluatorActions,
  scope: { partition: string; account: string },
): PolicyGrant[] {
  const grants: PolicyGrant[] = [];
  if (actions.read.length > 0) {
    grants.push({
      sid: 'ReadDeclaredState',
      actions: actions.read,
      resources: ['*'],
      reason: READ_WILDCARD_REASON,
    });
  }
  for (const service of servicesOf(actions.write)) {
    const scoped = actions.scopes[service];
    if (!scoped) {
      throw new PermissionError(
        `write actions of service ${service} (${actions.write.filter((a) => a.startsWith(`${service}:`)).join(', ')}) have no resource scope: the resource type (iam) or the remediator (alsoWrites) must declare one; Rampart never grants a write on "*"`,
        actions.write.find((a) => a.startsWith(`${service}:`)),
      );
    }
    const resources = scoped.arns(scope.partition, scope.account);
    // ARNs without an account (S3) are held to this account by the service's condition key.
    const inAccount: IamCondition = scoped.accountConditionKey
      ? { StringEquals: { [scoped.accountConditionKey]: scope.account } }
      : {};
    const serviceActions = actions.write.filter((a) => a.startsWith(`${service}:`));
    const plain = serviceActions.filter((a) => !actions.conditions[a]);
    if (plain.length > 0) {
      grants.push({
        sid: `Remediate${serviceSid(service)}`,
        actions: plain,
        resources,
        ...(scoped.accountConditionKey ? { conditions: inAccount } : {}),
        reason: scoped.reason,
      });
    }
    for (const action of serviceActions.filter((a) => actions.conditions[a])) {
      grants.push({
        sid: `Remediate${serviceSid(action.split(':')[1]!)}`,
        actions: [action],
        resources,
        conditions: mergeConditions(actions.conditions[action]!, inAccount),
        reason: scoped.reason,
      });
    }
  }
  return grants;
}

function mergeConditions(a: IamCondition, b: IamCondition): IamCondition {
  const out: Record<string, Record<string, string | readonly string[]>> = {};
  for (const c of [a, b]) {
    for (const [op, keys] of Object.entries(c)) out[op] = { ...(out[op] ?? {}), ...keys };
  }
  return out;
}

/** The explicit Deny that keeps Rampart's roles and boundary out of its own reach. */
export function ownPermissionsFence(ownRoleArns: string[], boundaryArns: string[]): PolicyGrant[] {
  return [
    {
      sid: 'NeverChangeRampartRoles',
      effect: 'Deny',
      actions: [...PERMISSION_CHANGING_ACTIONS.role],
      resources: ownRoleArns,
    },
    {
      sid: 'NeverChangeRampartBoundary',
      effect: 'Deny',
      actions: [...PERMISSION_CHANGING_ACTIONS.policy],
      resources: boundaryArns,
    },
  ];
}

/** `config:PutEvaluations`: the one write of the Config rule function. */
export const PUT_EVALUATIONS = 'config:PutEvaluations';

export const PUT_EVALUATIONS_REASON =
  'config:PutEvaluations has no resource type in AWS (it takes `*`); each call carries the ResultToken of one rule invocation, so it can only answer the invocation AWS Config made, and the grant is held to this region.';

/**
 * What the AWS Config rule function may do, derived like the evaluator's: the reads of the
 * policies it stands for (their types' collect actions, the sender listings where a verdict
 * needs them), Config's inventory reads, and PutEvaluations. No remediator's action: the
 * rule path never writes to a resource.
 */
export function configRuleActions(
  catalog: Catalog,
  config: RampartConfig,
): { read: string[]; write: string[] } {
  const read = new Set<string>();
  for (const policy of configRulePolicies(catalog, config).values()) {
    for (const action of catalog.resourceTypes.get(policy.resourceType)!.readActions) {
      read.add(action);
    }
    if (policy.readsFailureSenders !== undefined) {
      for (const sender of failureSenderTypes(catalog)) {
        for (const action of sender.enumerate?.readActions ?? []) read.add(action);
      }
    }
  }
  for (const action of CONFIG_RULE_ACTIONS) if (action !== PUT_EVALUATIONS) read.add(action);
  return { read: checked(read), write: [PUT_EVALUATIONS] };
}
