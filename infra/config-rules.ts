import {
  Aws,
  Duration,
  RemovalPolicy,
  aws_config as config,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  type aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { RampartConfig } from '../src/config';
import { configRulePolicies } from '../src/config-rules/rule-names';
import type { Catalog } from '../src/engine/catalog';
import { FUNCTION_TIMEOUT_ENV } from '../src/aws/calls';
import { CONFIG_RULE_ENTRY, HANDLER, SOURCE_MAP_ENV, lambdaCode } from './bundling';
import { addGrants, grantKeyUse } from './grants';
import { acknowledgeGrantFindings } from './nag';
import {
  PUT_EVALUATIONS_REASON,
  READ_WILDCARD_REASON,
  configRuleActions,
  type PolicyGrant,
} from './permissions';

/** The rule function's fixed name (the rules name it; operators find it by it). */
export const CONFIG_RULE_FUNCTION_NAME = 'rampart-config-rules';
/** How often each rule re-judges every resource Config records of its types. */
export const CONFIG_RULE_PERIOD = 'TwentyFour_Hours';

export interface ConfigRulesProps {
  catalog: Catalog;
  config: RampartConfig;
  runtime: lambda.Runtime;
  /** The runtime configuration (RAMPART_CONFIG_JSON) the evaluator reads too. */
  runtimeConfigJson: string;
  /** Where invocations that keep failing go (asynchronous invocations, retried twice first). */
  deadLetterQueue: sqs.IQueue;
  key: kms.IKey;
  sourceMaps: boolean;
}

/** The grants of the rule function's role, derived from the policies it stands for. */
export function configRuleGrants(catalog: Catalog, rampart: RampartConfig): PolicyGrant[] {
  const actions = configRuleActions(catalog, rampart);
  return [
    {
      sid: 'ReadJudgedState',
      actions: actions.read,
      resources: ['*'],
      reason: READ_WILDCARD_REASON,
    },
    {
      sid: 'PutRuleEvaluations',
      actions: actions.write,
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': Aws.REGION } },
      reason: PUT_EVALUATIONS_REASON,
    },
  ];
}

/**
 * Rampart as AWS Config custom rules: one rule per enabled policy of a type Config records,
 * triggered by configuration changes of its types and every CONFIG_RULE_PERIOD, all served by
 * one read-only function whose only write is PutEvaluations. Config's console, aggregators
 * and conformance packs then show Rampart's verdicts.
 */
export class RampartConfigRules extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly rules: config.CfnConfigRule[] = [];

  constructor(scope: Construct, id: string, props: ConfigRulesProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description:
        'Rampart AWS Config rules: reads judged state, puts evaluations, writes nothing else',
    });
    const grants = configRuleGrants(props.catalog, props.config);
    addGrants(this.role, grants);
    acknowledgeGrantFindings(this.role, grants);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    logGroup.grantWrite(this.role);
    // Failed asynchronous invocations go to the shared (encrypted) dead-letter queue.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'UndeliverableInvocations',
        actions: ['sqs:SendMessage'],
        resources: [props.deadLetterQueue.queueArn],
      }),
    );
    grantKeyUse(this.role, props.key, 'encrypt');
    this.function = new lambda.Function(this, 'Function', {
      functionName: CONFIG_RULE_FUNCTION_NAME,
      description: 'Rampart AWS Config rules: a rule invocation → its policy → PutEvaluations',
      code: lambdaCode(CONFIG_RULE_ENTRY),
      handler: HANDLER,
      runtime: props.runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      // A periodic invocation judges up to 10,000 resources per type.
      timeout: Duration.minutes(5),
      role: this.role,
      deadLetterQueue: props.deadLetterQueue,
      logGroup,
      environment: {
        ...(props.sourceMaps ? SOURCE_MAP_ENV : {}),
        POWERTOOLS_SERVICE_NAME: 'rampart-config-rules',
        RAMPART_CONFIG_JSON: props.runtimeConfigJson,
        [FUNCTION_TIMEOUT_ENV]: String(5 * 60),
      },
    });
    // Only AWS Config, on behalf of this account, may invoke it. (CfnConfigRule rather than
    // CustomRule: CustomRule attaches AWSConfigRulesExecutionRole, whose config:Put* could
    // change Config's own rules and recorders.)
    const permission = new lambda.CfnPermission(this, 'ConfigInvokes', {
      functionName: this.function.functionArn,
      principal: 'config.amazonaws.com',
      action: 'lambda:InvokeFunction',
      sourceAccount: Aws.ACCOUNT_ID,
    });
    const triggers = [
      'ConfigurationItemChangeNotification',
      'OversizedConfigurationItemChangeNotification',
    ].map((messageType) => ({ eventSource: 'aws.config', messageType }));
    for (const [ruleName, policy] of configRulePolicies(props.catalog, props.config)) {
      const type = props.catalog.resourceTypes.get(policy.resourceType)!;
      const rule = new config.CfnConfigRule(this, `Rule-${policy.id}`, {
        configRuleName: ruleName,
        description: `Rampart ${policy.id}: ${policy.title}`.slice(0, 256),
        source: {
          owner: 'CUSTOM_LAMBDA',
          sourceIdentifier: this.function.functionArn,
          sourceDetails: [
            ...triggers,
            {
              eventSource: 'aws.config',
              messageType: 'ScheduledNotification',
              maximumExecutionFrequency: CONFIG_RULE_PERIOD,
            },
          ],
        },
        scope: { complianceResourceTypes: [...type.configResourceTypes] },
      });
      // Config checks at creation that it may invoke the function.
      rule.node.addDependency(permission);
      this.rules.push(rule);
    }
  }
}
