import type { Evaluation as ConfigEvaluation } from '@aws-sdk/client-config-service';
import pLimit from 'p-limit';
import type { AuditLog } from '../audit';
import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import type { Catalog } from '../engine/catalog';
import type { AnyPolicy, AnyResourceType } from '../engine/definitions';
import { FailureSenders } from '../engine/failure-senders';
import { judge, judgeWithContext } from '../engine/judge';
import { fetchConfigurationItem, snapshotOfConfigItem } from '../engine/sources/config-item';
import { errorMessage } from '../errors';
import {
  DELETED_STATUSES,
  type ConfigItemChange,
  type ConfigurationItem,
} from '../events/config-item';
import type { ConfigRuleInvocation } from '../events/config-rule-invocation';
import {
  configEvaluation,
  putEvaluations,
  toConfigEvaluation,
  type ConfigResourceKey,
} from '../reporters/aws-config';
import { listRecordedItems } from './recorded';
import { configRulePolicies } from './rule-names';

/** IAM actions of the rule function besides its policies' types' read actions. */
export const CONFIG_RULE_ACTIONS = [
  'config:PutEvaluations',
  'config:GetResourceConfigHistory',
  'config:ListDiscoveredResources',
  'config:BatchGetResourceConfig',
] as const;

/** Resources judged at once in a periodic evaluation (types without fromConfigItem read live). */
const READ_CONCURRENCY = 8;

/** The invocation cannot be evaluated (unknown rule); nothing was put. */
export class ConfigRuleInvocationError extends Error {
  override readonly name = 'ConfigRuleInvocationError';
  constructor(
    message: string,
    readonly field: string,
    readonly ruleName: string,
  ) {
    super(message);
  }
}

/**
 * Some resources could not be judged (a read failed, a policy threw): what could be judged
 * was put, and the invocation fails so that AWS Config invokes it again.
 */
export class ConfigRuleEvaluationError extends Error {
  override readonly name = 'ConfigRuleEvaluationError';
  constructor(
    message: string,
    readonly ruleName: string,
    readonly unjudged: readonly string[],
  ) {
    super(message);
  }
}

export interface ConfigRuleResult {
  ruleName: string;
  policyId: string;
  evaluations: ConfigEvaluation[];
  putCalls: number;
}

export interface ConfigRuleDeps {
  catalog: Catalog;
  config: RampartConfig;
  clients: AwsClients;
  audit: AuditLog;
  failureSenders?: FailureSenders;
}

type Judged = { evaluation?: ConfigEvaluation; unjudged?: string };

/**
 * Rampart as the Lambda function of AWS Config custom rules, one rule per enabled policy:
 * the invocation's item (or, on the rule's period, every resource Config records of the
 * policy's types) is judged by that policy exactly as on the event path, and the verdicts
 * are put with the rule's ResultToken. Detective only: this path never remediates, so it
 * cannot act twice on what the event path already handles.
 */
export class ConfigRuleEvaluator {
  private readonly rules: Map<string, AnyPolicy>;
  private readonly failureSenders: FailureSenders;

  constructor(private readonly deps: ConfigRuleDeps) {
    this.rules = configRulePolicies(deps.catalog, deps.config);
    this.failureSenders = deps.failureSenders ?? new FailureSenders(deps);
  }

  /** Throws ConfigRuleInvocationError (unknown rule), ConfigRuleEvaluationError, AwsConfigReportError. */
  async evaluate(invocation: ConfigRuleInvocation): Promise<ConfigRuleResult> {
    const { ruleName } = invocation;
    const where = {
      ruleName,
      account: invocation.account,
      region: invocation.region,
      trigger: invocation.trigger.kind,
    };
    try {
      const result = await this.evaluateRule(invocation);
      const counts: Record<string, number> = {};
      for (const e of result.evaluations) {
        counts[e.ComplianceType!] = (counts[e.ComplianceType!] ?? 0) + 1;
      }
      this.deps.audit.configRule({ ...where, counts, testMode: invocation.testMode });
      return result;
    } catch (error) {
      this.deps.audit.configRule({ ...where, error: errorMessage(error) });
      throw error;
    }
  }

  private async evaluateRule(invocation: ConfigRuleInvocation): Promise<ConfigRuleResult> {
    // Exact name: a look-alike rule never borrows a policy.
    const policy = this.rules.get(invocation.ruleName);
    if (!policy) {
      const known = [...this.rules.keys()];
      throw new ConfigRuleInvocationError(
        `configRuleName ${JSON.stringify(invocation.ruleName)} is not a rule of an enabled policy; expected one of ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`,
        'configRuleName',
        invocation.ruleName,
      );
    }
    const type = this.deps.catalog.resourceTypes.get(policy.resourceType)!;
    const { trigger } = invocation;
    const judged =
      trigger.kind === 'change'
        ? [await this.judgeChange(invocation, policy, type, trigger.change)]
        : await this.judgeRecorded(invocation, policy, type, trigger.notificationTime);
    const evaluations = judged.flatMap((j) => (j.evaluation ? [j.evaluation] : []));
    const unjudged = judged.flatMap((j) => (j.unjudged ? [j.unjudged] : []));
    const { calls } =
      evaluations.length > 0
        ? await putEvaluations(this.deps.clients, {
            ruleName: invocation.ruleName,
            scope: { account: invocation.account, region: invocation.region },
            resultToken: invocation.resultToken,
            testMode: invocation.testMode,
            evaluations,
          })
        : { calls: 0 };
    if (unjudged.length > 0) {
      throw new ConfigRuleEvaluationError(
        `${unjudged.length} resource(s) not judged: ${unjudged.slice(0, 10).join('; ')}`,
        invocation.ruleName,
        unjudged,
      );
    }
    return { ruleName: invocation.ruleName, policyId: policy.id, evaluations, putCalls: calls };
  }

  private async judgeChange(
    invocation: ConfigRuleInvocation,
    policy: AnyPolicy,
    type: AnyResourceType,
    change: ConfigItemChange,
  ): Promise<Judged> {
    const head = change.kind === 'item' ? change.item : change.summary;
    const key = { resourceType: head.resourceType, resourceId: head.resourceId };
    const notApplicable = (why: string): Judged => ({
      evaluation: configEvaluation(
        'NOT_APPLICABLE',
        key,
        `Not applicable: ${why}`,
        head.captureTime,
      ),
    });
    if (invocation.eventLeftScope) return notApplicable("the resource left the rule's scope");
    if ((DELETED_STATUSES as readonly string[]).includes(head.status)) {
      return notApplicable('the resource was deleted');
    }
    if (!type.configResourceTypes.includes(head.resourceType)) {
      return notApplicable(`${policy.id} judges ${type.configResourceTypes.join(', ')}`);
    }
    // Not recorded: Config holds no state of it, so there is nothing to claim either way.
    if (head.status === 'ResourceNotRecorded') return {};
    try {
      const item =
        change.kind === 'item'
          ? change.item
          : await fetchConfigurationItem(
              this.deps.clients,
              head,
              head.resourceType,
              head.resourceId,
            );
      return await this.judgeItem(policy, type, item, key);
    } catch (error) {
      return { unjudged: `${key.resourceType} ${key.resourceId}: ${errorMessage(error)}` };
    }
  }

  /** The rule's period came round: every resource Config records of the policy's types. */
  private async judgeRecorded(
    invocation: ConfigRuleInvocation,
    policy: AnyPolicy,
    type: AnyResourceType,
    notificationTime: string,
  ): Promise<Judged[]> {
    const scope = { account: invocation.account, region: invocation.region };
    const reads = pLimit(READ_CONCURRENCY);
    const judged: Promise<Judged>[] = [];
    for (const configType of type.configResourceTypes) {
      try {
        for await (const item of listRecordedItems(this.deps.clients, scope, configType)) {
          const key = { resourceType: item.resourceType, resourceId: item.resourceId };
          judged.push(
            reads(() =>
              this.judgeItem(policy, type, item, key, notificationTime).catch((error): Judged => ({
                unjudged: `${key.resourceType} ${key.resourceId}: ${errorMessage(error)}`,
              })),
            ),
          );
        }
      } catch (error) {
        judged.push(Promise.resolve({ unjudged: `${configType}: ${errorMessage(error)}` }));
      }
    }
    return Promise.all(judged);
  }

  private async judgeItem(
    policy: AnyPolicy,
    type: AnyResourceType,
    item: ConfigurationItem,
    key: ConfigResourceKey,
    orderingTime = item.captureTime,
  ): Promise<Judged> {
    const snapshot = await snapshotOfConfigItem(this.deps.clients, type, item);
    if (!snapshot) {
      return {
        evaluation: configEvaluation(
          'NOT_APPLICABLE',
          key,
          'Not applicable: the resource no longer exists',
          orderingTime,
        ),
      };
    }
    const { evaluation } = await judgeWithContext(
      { ...this.deps, failureSenders: this.failureSenders },
      policy,
      snapshot,
      judge(policy, snapshot, this.deps.config),
    );
    if (evaluation.status === 'error') {
      return { unjudged: `${key.resourceType} ${key.resourceId}: ${evaluation.error}` };
    }
    return { evaluation: toConfigEvaluation(evaluation, key, orderingTime) };
  }
}
