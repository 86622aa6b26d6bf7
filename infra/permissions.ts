import type { RampartConfig } from '../src/config';
import type { Mode } from '../src/domain';
import type { Catalog } from '../src/engine/catalog';
import { CONFIG_INPUT_READ_ACTIONS } from '../src/engine/config-input';
import type { AnyPolicy } from '../src/engine/definitions';
import { AGGREGATOR_READ_ACTIONS } from '../src/sweep/aggregator';

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

export interface EvaluatorActions {
  read: string[];
  write: string[];
}

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

function checked(actions: Iterable<string>): string[] {
  const list = [...new Set(actions)].sort();
  for (const action of list) {
    if (!ACTION.test(action)) {
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
  const enabled = isPolicyEnabled(config);
  for (const policy of catalog.policies.values()) {
    if (!enabled(policy)) continue;
    const type = catalog.resourceTypes.get(policy.resourceType);
    for (const action of type?.readActions ?? []) read.add(action);
    // The sweep lists the type's resources (in member accounts through the same role).
    for (const action of type?.enumerate?.readActions ?? []) read.add(action);
    const mode = config.policies[policy.id]?.mode ?? policy.defaultMode;
    if (!policy.remediatorId || NON_REMEDIATING_MODES.includes(mode)) continue;
    const remediator = catalog.remediators.get(policy.remediatorId);
    if (!remediator) {
      throw new PermissionError(`policy ${policy.id}: unknown remediator ${policy.remediatorId}`);
    }
    for (const action of remediator.iamActions.read) read.add(action);
    for (const action of remediator.iamActions.write) write.add(action);
  }
  // Oversized Config items are read back from Config in the resource's account.
  if (read.size > 0) for (const action of CONFIG_INPUT_READ_ACTIONS) read.add(action);
  if (config.compliance.sweep.aggregator) {
    for (const action of AGGREGATOR_READ_ACTIONS) read.add(action);
  }
  return { read: checked(read), write: checked(write) };
}

/** The IAM service prefixes of a list of actions (`ec2:RevokeSecurityGroupIngress` → `ec2`). */
export function servicesOf(actions: readonly string[]): string[] {
  return [...new Set(actions.map((a) => a.split(':')[0]!))].sort();
}

/**
 * ARNs that cover a service's resources in one account, for services whose write APIs
 * support resource-level permissions. Actions of other services (and the describe/list
 * reads, which AWS does not scope) are granted on `*` resources.
 */
const ACCOUNT_SCOPED_RESOURCES: Record<string, (partition: string, account: string) => string[]> = {
  ec2: (p, a) => [`arn:${p}:ec2:*:${a}:security-group/*`],
  sqs: (p, a) => [`arn:${p}:sqs:*:${a}:*`],
  sns: (p, a) => [`arn:${p}:sns:*:${a}:*`],
  dynamodb: (p, a) => [`arn:${p}:dynamodb:*:${a}:table/*`],
  lambda: (p, a) => [`arn:${p}:lambda:*:${a}:function:*`],
  events: (p, a) => [`arn:${p}:events:*:${a}:rule/*`],
  iam: (p, a) => [
    `arn:${p}:iam::${a}:user/*`,
    `arn:${p}:iam::${a}:role/*`,
    `arn:${p}:iam::${a}:group/*`,
    `arn:${p}:iam::${a}:policy/*`,
  ],
  rds: (p, a) => [`arn:${p}:rds:*:${a}:*`],
};

export const GRANT_WILDCARD_REASON =
  "Describe/List/Get reads have no resource-level permissions in AWS, so they take `*`; remediation writes are scoped to this account's resources of the service (wildcard on the resource name only, since targets are found at run time).";

export interface PolicyGrant {
  sid: string;
  actions: string[];
  resources: string[];
}

/**
 * Grants for a role acting in one account: reads on `*` (describe/list/get are not
 * resource-scoped by AWS), writes scoped to the account's resources where the service allows.
 */
export function evaluatorGrants(
  actions: EvaluatorActions,
  scope: { partition: string; account: string },
): PolicyGrant[] {
  const grants: PolicyGrant[] = [];
  if (actions.read.length > 0) {
    grants.push({ sid: 'ReadDeclaredState', actions: actions.read, resources: ['*'] });
  }
  for (const service of servicesOf(actions.write)) {
    const serviceActions = actions.write.filter((a) => a.startsWith(`${service}:`));
    const scoped = ACCOUNT_SCOPED_RESOURCES[service];
    grants.push({
      sid: `Remediate${service.replace(/[^A-Za-z0-9]/g, '').replace(/^./, (c) => c.toUpperCase())}`,
      actions: serviceActions,
      resources: scoped ? scoped(scope.partition, scope.account) : ['*'],
    });
  }
  return grants;
}
