import { existsSync } from 'node:fs';
import {
  ArnFormat,
  Aws,
  CfnOutput,
  type CfnResource,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as cwActions,
  aws_dynamodb as dynamodb,
  aws_events as events,
  aws_events_targets as targets,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_lambda_event_sources as sources,
  aws_logs as logs,
  aws_scheduler as scheduler,
  aws_secretsmanager as secrets,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
  aws_sqs as sqs,
  aws_stepfunctions as sfn,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RampartConfig } from '../src/config';
import { FUNCTION_TIMEOUT_ENV } from '../src/aws/calls';
import {
  EVALUATOR_FUNCTION_NAME,
  EVALUATOR_ROLE_NAME,
  REMEDIATION_ROLE_NAME,
  SWEEP_FUNCTION_NAME,
} from '../src/config/own-identity';
import {
  DIGEST_SCHEDULE_EXPRESSIONS,
  DIGEST_TOPIC_ENV,
  HISTORY_TABLE_ENV,
} from '../src/config/compliance';
import { DIGEST_HANDLER_ACTIONS } from '../src/handlers/digest';
import { HISTORY_TABLE, HISTORY_TABLE_ACTIONS } from '../src/history/store';
import {
  ORGANIZATION_READ_ACTIONS,
  ORGANIZATION_RESOURCE_KINDS,
} from '../src/organization/directory';
import { ENROLLMENT_TABLE_ACTIONS } from '../src/organization/enrollments';
import type { Catalog } from '../src/engine/catalog';
import { SCHEDULER_ACTIONS } from '../src/exceptions/deadline';
import { EXCEPTIONS_TABLE, EXCEPTIONS_TABLE_ACTIONS } from '../src/exceptions/table';
import { STATE_TABLE, STATE_TABLE_ACTIONS } from '../src/reliability/wiring';
import { SLACK_SECRET_ENV } from '../src/slack/credentials';
import { HUMAN_LOOP_ENV } from '../src/slack/wiring';
import {
  DIGEST_ENTRY,
  EVALUATOR_ENTRY,
  SWEEP_ENTRY,
  HANDLER,
  NODE_MAJOR,
  SLACK_ENTRY,
  SOURCE_MAP_ENV,
  lambdaCode,
} from './bundling';
import { InfraError } from './errors';
import { SweepFanOut } from './sweep-fan-out';
import { AccountLanes } from './account-lanes';
import { RampartConfigRules } from './config-rules';
import { crossAccountScope } from './cross-account';
import {
  EncryptedQueueTarget,
  addGrants,
  fenceOwnPermissions,
  grantKeyUse,
  grantTableActions,
  keyPolicy,
} from './grants';
import { NAG_SCOPE, acknowledge, acknowledgeGrantFindings } from './nag';
import { cloudTrailRules, configChangePattern, watchedConfigTypes } from './event-patterns';
import {
  evaluatorActions,
  evaluatorGrants,
  isPolicyEnabled,
  type EvaluatorActions,
} from './permissions';

export { InfraError };

/**
 * Fixed names (src/config/own-identity.ts): member accounts' trust policies and forwarding
 * rules refer to them, approval deadlines target the evaluator by name without a circular
 * reference, and the evaluator recognises its own changes by role and session name.
 */
export { EVALUATOR_ROLE_NAME, REMEDIATION_ROLE_NAME, EVALUATOR_FUNCTION_NAME, SWEEP_FUNCTION_NAME };
export const CENTRAL_BUS_NAME = 'rampart-central';
/** The evaluator role's permissions boundary (a managed policy of this name). */
export const EVALUATOR_BOUNDARY_NAME = 'RampartEvaluatorBoundary';
/** Approval deadlines live in their own schedule group, so the grants are scoped to it. */
export const SCHEDULE_GROUP_NAME = 'rampart';
export const METRIC_NAMESPACE = 'Rampart';
/** Lambda caps the environment at 4 KB; the configuration must fit beside the rest. */
const MAX_CONFIG_ENV_BYTES = 3072;

export interface CentralStackProps extends StackProps {
  catalog: Catalog;
  config: RampartConfig;
  /** The configuration document as the evaluator should read it (RAMPART_CONFIG_JSON). */
  runtimeConfigJson: string;
}

const runtime = (lambda.Runtime as unknown as Record<string, lambda.Runtime>)[
  `NODEJS_${NODE_MAJOR}_X`
]!;

/**
 * The central account: the bus members forward to, one rule per watched AWS service (plus
 * Config item changes) into a KMS-encrypted SQS buffer, the evaluator Lambda, its tables,
 * alarms and dashboard.
 */
export class RampartCentralStack extends Stack {
  readonly bus: events.EventBus;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** The evaluator's buffer: one FIFO message group per account. */
  readonly lanes: AccountLanes;
  readonly evaluator: lambda.Function;
  readonly alarmTopic: sns.Topic;
  readonly sweep: lambda.Function;
  readonly sweepStateMachine: sfn.StateMachine;
  readonly digest: lambda.Function;
  /** With `deployment.configRules`: the Config custom rules and their function. */
  readonly configRules?: RampartConfigRules;
  /**
   * What the evaluator is told about its tables, topics and deadlines; the sweep, which
   * evaluates and remediates through the same code, is told the same.
   */
  private readonly runtimeEnvironment: Record<string, string> = {};
  private readonly config: RampartConfig;
  /** Rampart's other roles in this account: out of the evaluator's reach like its own. */
  private readonly otherRoles: iam.IRole[] = [];

  constructor(scope: Construct, id: string, props: CentralStackProps) {
    super(scope, id, props);
    const { catalog, config } = props;
    this.config = config;
    const deployment = config.deployment;
    const evaluatorSettings = deployment.evaluator;
    if (Buffer.byteLength(props.runtimeConfigJson) > MAX_CONFIG_ENV_BYTES) {
      throw new InfraError(
        `the configuration is ${Buffer.byteLength(props.runtimeConfigJson)} bytes as JSON; Lambda environment variables allow at most ${MAX_CONFIG_ENV_BYTES} for it`,
        'RAMPART_CONFIG_JSON',
      );
    }

    const key = new kms.Key(this, 'Key', {
      description: 'Rampart: queues, topic, tables and secret',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: keyPolicy(),
    });

    // --- Buffer: rules → queue → evaluator, with a DLQ for what keeps failing.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'EventQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // AWS's guidance for SQS event sources: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(evaluatorSettings.timeoutSeconds * 6),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: evaluatorSettings.maxReceiveCount,
      },
    });

    // --- Evaluator.
    const actions = evaluatorActions(catalog, config);
    const evaluatorRole = new iam.Role(this, 'EvaluatorRole', {
      roleName: EVALUATOR_ROLE_NAME,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description:
        'Rampart evaluator: reads declared state, writes only what enabled remediators declare',
    });
    addGrants(
      evaluatorRole,
      evaluatorGrants(actions, { partition: Aws.PARTITION, account: Aws.ACCOUNT_ID }),
    );
    this.grantAssumeMemberRoles(evaluatorRole);

    const evaluatorLogs = new logs.LogGroup(this, 'EvaluatorLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    evaluatorLogs.grantWrite(evaluatorRole);

    this.evaluator = new lambda.Function(this, 'Evaluator', {
      functionName: EVALUATOR_FUNCTION_NAME,
      description: 'Rampart evaluator: CloudTrail/Config event → policies → remediation → audit',
      code: lambdaCode(EVALUATOR_ENTRY),
      handler: HANDLER,
      runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: evaluatorSettings.memorySize,
      timeout: Duration.seconds(evaluatorSettings.timeoutSeconds),
      reservedConcurrentExecutions: evaluatorSettings.reservedConcurrency,
      role: evaluatorRole,
      // Asynchronous invocations (approval deadlines, Slack's "Revert now") that keep failing
      // land in the same dead-letter queue as undeliverable buffered events, under its alarm.
      deadLetterQueue: this.deadLetterQueue,
      logGroup: evaluatorLogs,
      environment: {
        ...(evaluatorSettings.sourceMaps ? SOURCE_MAP_ENV : {}),
        POWERTOOLS_SERVICE_NAME: 'rampart-evaluator',
        // SDK call timeouts derive from it (src/aws/calls.ts): no call outlives the invocation.
        [FUNCTION_TIMEOUT_ENV]: String(evaluatorSettings.timeoutSeconds),
      },
    });
    this.addRuntimeEnvironment('RAMPART_CONFIG_JSON', props.runtimeConfigJson);
    this.addRuntimeEnvironment('RAMPART_HOME_ACCOUNT', Aws.ACCOUNT_ID);
    this.addRuntimeEnvironment('RAMPART_REMEDIATION_ROLE_NAME', REMEDIATION_ROLE_NAME);
    // One lane per account between the buffer and the evaluator (infra/account-lanes.ts).
    this.lanes = new AccountLanes(this, 'AccountLanes', {
      intake: this.queue,
      key,
      evaluatorTimeout: Duration.seconds(evaluatorSettings.timeoutSeconds),
      maxReceiveCount: evaluatorSettings.maxReceiveCount,
    });
    this.otherRoles.push(this.lanes.role);
    this.evaluator.addEventSource(
      new sources.SqsEventSource(this.lanes.queue, {
        // FIFO event sources take at most 10 records a batch.
        batchSize: Math.min(evaluatorSettings.batchSize, 10),
        reportBatchItemFailures: true,
      }),
    );

    // --- Rules: one per AWS service, generated from the catalog, on the bus members use.
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: CENTRAL_BUS_NAME });
    if (deployment.organizationId) {
      this.bus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'OrganizationMembersForward',
          principals: [new iam.AnyPrincipal()],
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
          conditions: { StringEquals: { 'aws:PrincipalOrgID': deployment.organizationId } },
        }),
      );
    }
    const enabled = isPolicyEnabled(config);
    const target = new EncryptedQueueTarget(this.queue, this.deadLetterQueue, CENTRAL_BUS_NAME);
    for (const rule of cloudTrailRules(catalog, enabled)) {
      new events.Rule(this, `CloudTrail-${rule.id}`, {
        eventBus: this.bus,
        description: `Rampart: ${rule.eventSource} ${rule.eventNames.join(', ')}`.slice(0, 512),
        eventPattern: rule.pattern as events.EventPattern,
        targets: [target],
      });
    }
    const configPattern = configChangePattern(watchedConfigTypes(catalog, enabled));
    if (configPattern) {
      new events.Rule(this, 'ConfigItemChange', {
        eventBus: this.bus,
        description: 'Rampart: AWS Config configuration-item changes of watched resource types',
        eventPattern: configPattern as events.EventPattern,
        targets: [target],
      });
    }

    // --- State: exceptions (with pending approvals and Slack notices), and the state of
    // duplicate suppression and the revert-war breaker. Key layouts come from the code that
    // reads them.
    const table = (
      id: string,
      spec: { partitionKey: string; sortKey?: string; ttlAttribute: string },
    ) =>
      new dynamodb.Table(this, id, {
        partitionKey: { name: spec.partitionKey, type: dynamodb.AttributeType.STRING },
        ...(spec.sortKey
          ? { sortKey: { name: spec.sortKey, type: dynamodb.AttributeType.STRING } }
          : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: key,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        // Rampart's own pack requires it (dynamodb-deletion-protection-enabled).
        deletionProtection: true,
        timeToLiveAttribute: spec.ttlAttribute,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    const exceptionsTable = table('ExceptionsTable', EXCEPTIONS_TABLE);
    const stateTable = table('StateTable', STATE_TABLE);
    // Sweep snapshots, every outcome, past digests: what the digest's trends are made of.
    const historyTable = table('HistoryTable', HISTORY_TABLE);
    grantTableActions(evaluatorRole, exceptionsTable, key, EXCEPTIONS_TABLE_ACTIONS);
    grantTableActions(evaluatorRole, stateTable, key, STATE_TABLE_ACTIONS);
    grantTableActions(evaluatorRole, historyTable, key, [
      ...new Set([
        ...HISTORY_TABLE_ACTIONS,
        // With an organization: when each account was first covered (its grace period).
        ...(config.organization ? ENROLLMENT_TABLE_ACTIONS : []),
      ]),
    ]);
    this.grantOrganizationReads(evaluatorRole);
    this.addRuntimeEnvironment(EXCEPTIONS_TABLE.env, exceptionsTable.tableName);
    this.addRuntimeEnvironment(STATE_TABLE.env, stateTable.tableName);
    this.addRuntimeEnvironment(HISTORY_TABLE_ENV, historyTable.tableName);

    // --- Approval deadlines: one-shot EventBridge Scheduler schedules that invoke the
    // evaluator when an approval window ends.
    const evaluatorArn = this.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: EVALUATOR_FUNCTION_NAME,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const scheduleGroup = new scheduler.CfnScheduleGroup(this, 'ApprovalDeadlines', {
      name: SCHEDULE_GROUP_NAME,
    });
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'Lets EventBridge Scheduler invoke the evaluator when an approval deadline ends',
    });
    this.otherRoles.push(schedulerRole);
    schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeEvaluatorAtDeadline',
        actions: ['lambda:InvokeFunction'],
        resources: [evaluatorArn],
      }),
    );
    schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'UndeliverableDeadlines',
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
      }),
    );
    grantKeyUse(schedulerRole, key, 'encrypt');
    const schedulesArn = `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${SCHEDULE_GROUP_NAME}/*`;
    evaluatorRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ApprovalDeadlineSchedules',
        actions: [...SCHEDULER_ACTIONS],
        resources: [schedulesArn],
      }),
    );
    evaluatorRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PassSchedulerRole',
        actions: ['iam:PassRole'],
        resources: [schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    acknowledge(evaluatorRole, SCHEDULES_WILDCARD_REASON, NAG_SCHEDULES_RESOURCE);
    this.addRuntimeEnvironment(HUMAN_LOOP_ENV.deadlineTarget, evaluatorArn);
    this.addRuntimeEnvironment(HUMAN_LOOP_ENV.schedulerRole, schedulerRole.roleArn);
    this.addRuntimeEnvironment(HUMAN_LOOP_ENV.scheduleGroup, scheduleGroup.ref);
    this.addRuntimeEnvironment(HUMAN_LOOP_ENV.deadlineDlq, this.deadLetterQueue.queueArn);

    // --- Notices and alarms.
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Rampart alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (deployment.alarms.email) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(deployment.alarms.email));
    }
    // Every outcome as JSON, for e-mail, ticketing or chat integrations other than Slack.
    const noticesTopic = new sns.Topic(this, 'NoticesTopic', {
      displayName: 'Rampart notices',
      masterKey: key,
      enforceSSL: true,
    });
    this.addRuntimeEnvironment(HUMAN_LOOP_ENV.topic, noticesTopic.topicArn);
    evaluatorRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PublishNotices',
        actions: ['sns:Publish'],
        resources: [noticesTopic.topicArn],
      }),
    );
    grantKeyUse(evaluatorRole, key, 'encrypt');

    const slackSecret = !deployment.slack.enabled
      ? undefined
      : this.addSlack({
          key,
          exceptionsTable,
          schedulesArn,
          evaluatorArn,
          runtimeConfigJson: props.runtimeConfigJson,
          sourceMaps: evaluatorSettings.sourceMaps,
        });

    // --- The periodic sweep (drift) and the compliance digest, on schedules.
    const scheduledTarget = (fn: lambda.IFunction) =>
      new targets.LambdaFunction(fn, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      });
    this.sweep = this.scheduledFunction('Sweep', {
      entry: SWEEP_ENTRY,
      functionName: SWEEP_FUNCTION_NAME,
      description: 'Rampart sweep: every enabled policy over every watched resource (drift)',
      role: evaluatorRole,
      // A sweep covers accounts × regions × types; Lambda's ceiling is the bound.
      timeout: Duration.minutes(15),
      memorySize: 1024,
      environment: { ...this.runtimeEnvironment, [FUNCTION_TIMEOUT_ENV]: String(15 * 60) },
      sourceMaps: evaluatorSettings.sourceMaps,
    });
    // The schedule starts a state machine run: plan → one shard per account × region →
    // assemble; the same function does each stage.
    const fanOut = new SweepFanOut(this, 'SweepFanOut', {
      sweep: this.sweep,
      historyTable,
      key,
      deadLetterQueue: this.deadLetterQueue,
      schedule: deployment.schedules.sweep,
      accountsAtOnce: deployment.sweep.accountsAtOnce,
      shardsPerAccount: deployment.sweep.shardsPerAccount,
    });
    this.sweepStateMachine = fanOut.stateMachine;
    this.otherRoles.push(fanOut.role);

    const digestRole = new iam.Role(this, 'DigestRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Rampart digest: reads the history and exception decisions, posts the digest',
    });
    this.otherRoles.push(digestRole);
    const digestTopic = new sns.Topic(this, 'DigestTopic', {
      displayName: 'Rampart compliance digest',
      masterKey: key,
      enforceSSL: true,
    });
    grantTableActions(digestRole, historyTable, key, DIGEST_HANDLER_ACTIONS.historyTable);
    grantTableActions(digestRole, exceptionsTable, key, DIGEST_HANDLER_ACTIONS.exceptionsTable);
    digestRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PublishDigest',
        actions: [...DIGEST_HANDLER_ACTIONS.digestTopic],
        resources: [digestTopic.topicArn],
      }),
    );
    grantKeyUse(digestRole, key, 'encrypt');
    if (slackSecret) {
      digestRole.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadSlackToken',
          actions: [...DIGEST_HANDLER_ACTIONS.slackSecret],
          resources: [slackSecret.secretArn],
        }),
      );
    }
    this.digest = this.scheduledFunction('Digest', {
      entry: DIGEST_ENTRY,
      description: 'Rampart compliance digest: Slack, SNS (e-mail) and the digest record',
      role: digestRole,
      timeout: Duration.minutes(5),
      memorySize: 512,
      environment: {
        RAMPART_CONFIG_JSON: props.runtimeConfigJson,
        [HISTORY_TABLE_ENV]: historyTable.tableName,
        [EXCEPTIONS_TABLE.env]: exceptionsTable.tableName,
        [DIGEST_TOPIC_ENV]: digestTopic.topicArn,
        ...(slackSecret ? { [SLACK_SECRET_ENV]: slackSecret.secretArn } : {}),
      },
      sourceMaps: evaluatorSettings.sourceMaps,
    });
    new events.Rule(this, 'DigestSchedule', {
      description: `Rampart: the ${config.compliance.digest.schedule} compliance digest (compliance.digest.schedule)`,
      schedule: events.Schedule.expression(
        DIGEST_SCHEDULE_EXPRESSIONS[config.compliance.digest.schedule],
      ),
      targets: [scheduledTarget(this.digest)],
    });
    new CfnOutput(this, 'DigestTopicArn', { value: digestTopic.topicArn });

    if (deployment.configRules) {
      this.configRules = new RampartConfigRules(this, 'ConfigRules', {
        catalog,
        config,
        runtime,
        runtimeConfigJson: props.runtimeConfigJson,
        deadLetterQueue: this.deadLetterQueue,
        key,
        sourceMaps: evaluatorSettings.sourceMaps,
      });
      this.otherRoles.push(this.configRules.role);
    }

    this.addAlarmsAndDashboard(evaluatorLogs);

    new CfnOutput(this, 'CentralBusArn', { value: this.bus.eventBusArn });
    new CfnOutput(this, 'EvaluatorRoleArn', { value: evaluatorRole.roleArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl });

    this.acknowledgeJustifiedFindings(evaluatorRole, actions);
    // Last, so that the boundary's document holds every statement the role was given.
    fenceOwnPermissions(evaluatorRole, {
      boundaryName: EVALUATOR_BOUNDARY_NAME,
      ownRoleArns: [
        `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${EVALUATOR_ROLE_NAME}`,
        `arn:${Aws.PARTITION}:iam::*:role/${REMEDIATION_ROLE_NAME}`,
        ...this.otherRoles.map((r) => r.roleArn),
      ],
    });
  }

  /**
   * With `organization:`, which accounts are covered is read from Organizations (the central
   * account is the management account or a delegated administrator): list and describe only.
   */
  private grantOrganizationReads(evaluatorRole: iam.Role): void {
    const organizationId = this.config.deployment.organizationId;
    if (!this.config.organization || !organizationId) return;
    // The organization's own accounts, OUs and root, whichever account manages it.
    const arns = ORGANIZATION_RESOURCE_KINDS.map(
      (kind) => `arn:${Aws.PARTITION}:organizations::*:${kind}/${organizationId}/*`,
    );
    evaluatorRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOrganizationTree',
        actions: [...ORGANIZATION_READ_ACTIONS],
        resources: arns,
      }),
    );
    acknowledge(
      evaluatorRole,
      "Organizations list and describe actions only, on this organization's accounts, OUs and root (the managing account is not known at synthesis).",
      ...ORGANIZATION_RESOURCE_KINDS.map(
        (kind) =>
          `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:organizations::*:${kind}/${organizationId}/*]`,
      ),
    );
  }

  /**
   * Member roles may be assumed only inside the organization, or in the accounts listed in
   * the configuration; a single-account deployment gets no sts:AssumeRole at all.
   */
  private grantAssumeMemberRoles(evaluatorRole: iam.Role): void {
    const reach = crossAccountScope(this.config);
    if (reach.kind === 'single-account') return;
    evaluatorRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeMemberRemediationRole',
        actions: ['sts:AssumeRole'],
        ...(reach.kind === 'organization'
          ? {
              resources: [`arn:${Aws.PARTITION}:iam::*:role/${REMEDIATION_ROLE_NAME}`],
              conditions: { StringEquals: { 'aws:ResourceOrgID': reach.organizationId } },
            }
          : {
              resources: reach.accounts.map(
                (a) => `arn:${Aws.PARTITION}:iam::${a}:role/${REMEDIATION_ROLE_NAME}`,
              ),
            }),
      }),
    );
  }

  private addSlack(inputs: {
    key: kms.Key;
    exceptionsTable: dynamodb.Table;
    schedulesArn: string;
    evaluatorArn: string;
    runtimeConfigJson: string;
    sourceMaps: boolean;
  }): secrets.Secret {
    if (!existsSync(SLACK_ENTRY)) {
      throw new InfraError(
        `deployment.slack.enabled is true but ${SLACK_ENTRY} does not exist in this version`,
        'deployment.slack.enabled',
      );
    }
    if (!this.config.slack) {
      throw new InfraError(
        'deployment.slack.enabled is true but the slack: section (channel, approvers) is missing',
        'slack',
      );
    }
    const { key, exceptionsTable } = inputs;
    const secret = new secrets.Secret(this, 'SlackCredentials', {
      description: 'Rampart Slack app: {"signingSecret": "...", "botToken": "xoxb-..."}',
      encryptionKey: key,
    });
    const slackLogs = new logs.LogGroup(this, 'SlackLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const slackRole = new iam.Role(this, 'SlackRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Rampart Slack app: exceptions table, deadline cancellation, Revert now',
    });
    this.otherRoles.push(slackRole);
    slackLogs.grantWrite(slackRole);
    const slack = new lambda.Function(this, 'Slack', {
      role: slackRole,
      description: 'Rampart Slack app (events, interactivity, slash command)',
      code: lambdaCode(SLACK_ENTRY),
      handler: HANDLER,
      runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      logGroup: slackLogs,
      environment: {
        ...(inputs.sourceMaps ? SOURCE_MAP_ENV : {}),
        POWERTOOLS_SERVICE_NAME: 'rampart-slack',
        RAMPART_CONFIG_JSON: inputs.runtimeConfigJson,
        [SLACK_SECRET_ENV]: secret.secretArn,
        [HUMAN_LOOP_ENV.table]: exceptionsTable.tableName,
        [HUMAN_LOOP_ENV.scheduleGroup]: SCHEDULE_GROUP_NAME,
        [HUMAN_LOOP_ENV.evaluatorFunction]: inputs.evaluatorArn,
      },
    });
    // Synchronous only (Slack waits for the Function URL's answer), so there is no
    // asynchronous event to keep in a dead-letter queue.
    (slack.node.defaultChild as CfnResource).addMetadata('rampart', {
      suppress: [
        {
          id: 'lambda-has-dlq',
          reason: 'Invoked synchronously through its Function URL; Slack retries failed requests.',
        },
      ],
    });
    acknowledge(
      secret,
      'Slack issues the signing secret and bot token; they are rotated in Slack, then pasted into this secret (docs/deploy.md), so a rotation Lambda has nothing to call.',
      'AwsSolutions-SMG4',
    );
    secret.grantRead(slack);
    grantTableActions(slackRole, exceptionsTable, key, EXCEPTIONS_TABLE_ACTIONS);
    slack.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CancelApprovalDeadlines',
        actions: ['scheduler:DeleteSchedule'],
        resources: [inputs.schedulesArn],
      }),
    );
    acknowledge(slackRole, SCHEDULES_WILDCARD_REASON, NAG_SCHEDULES_RESOURCE);
    // "Revert now" invokes the evaluator asynchronously.
    slack.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'RevertNow',
        actions: ['lambda:InvokeFunction'],
        resources: [inputs.evaluatorArn],
      }),
    );
    // Slack authenticates with its request signature, which the handler verifies on every call.
    const url = slack.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    this.addRuntimeEnvironment(SLACK_SECRET_ENV, secret.secretArn);
    // On the role, not through the key policy (which grantRead would edit): the key must not
    // depend on the evaluator role, whose boundary depends on the key's queues.
    this.evaluator.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadSlackCredentials',
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        resources: [secret.secretArn],
      }),
    );
    new CfnOutput(this, 'SlackRequestUrl', { value: `${url.url}slack/events` });
    return secret;
  }

  /** A function run on a schedule, with its own log group and the shared DLQ for failures. */
  private scheduledFunction(
    id: string,
    props: {
      entry: string;
      functionName?: string;
      description: string;
      role: iam.IRole;
      timeout: Duration;
      memorySize: number;
      environment: Record<string, string>;
      sourceMaps: boolean;
    },
  ): lambda.Function {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    logGroup.grantWrite(props.role);
    return new lambda.Function(this, id, {
      ...(props.functionName ? { functionName: props.functionName } : {}),
      description: props.description,
      code: lambdaCode(props.entry),
      handler: HANDLER,
      runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: props.role,
      deadLetterQueue: this.deadLetterQueue,
      logGroup,
      environment: {
        ...(props.sourceMaps ? SOURCE_MAP_ENV : {}),
        POWERTOOLS_SERVICE_NAME: `rampart-${id.toLowerCase()}`,
        ...props.environment,
      },
    });
  }

  private addAlarmsAndDashboard(evaluatorLogs: logs.LogGroup): void {
    const alarmAction = new cwActions.SnsAction(this.alarmTopic);
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string, threshold = 1) => {
      const a = new cloudwatch.Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${description} See docs/deploy.md#alarm-runbook.`,
      });
      a.addAlarmAction(alarmAction);
      return a;
    };

    // Business metrics come from the audit lines the evaluator already writes.
    const fromAudit = (id: string, metricName: string, pattern: string, value = '1') =>
      new logs.MetricFilter(this, id, {
        logGroup: evaluatorLogs,
        metricNamespace: METRIC_NAMESPACE,
        metricName,
        filterPattern: logs.FilterPattern.literal(pattern),
        metricValue: value,
      }).metric({ period: Duration.minutes(5) });
    const violations = fromAudit('ViolationsMetric', 'Violations', '{ $.audit = "decision" }');
    const reverts = fromAudit(
      'RevertsMetric',
      'Reverts',
      '{ $.audit = "outcome" && $.status = "reverted" }',
    );
    const failures = fromAudit(
      'RemediationFailuresMetric',
      'RemediationFailures',
      '{ $.audit = "outcome" && $.status = "failed" }',
    );
    const timeToRevert = fromAudit(
      'TimeToRevertMetric',
      'TimeToRevertMs',
      '{ $.audit = "outcome" && $.status = "reverted" && $.timeToRevertMs >= 0 }',
      '$.timeToRevertMs',
    ).with({ statistic: 'p95' });

    const dlqDepth = this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    });
    const oldest = this.queue.metricApproximateAgeOfOldestMessage({
      period: Duration.minutes(5),
      statistic: 'Maximum',
    });
    const errors = this.evaluator.metricErrors({ period: Duration.minutes(5) });
    const throttles = this.evaluator.metricThrottles({ period: Duration.minutes(5) });

    alarm('DeadLetterAlarm', dlqDepth, 'Events the evaluator could not handle are in the DLQ.');
    alarm(
      'LaneDeadLetterAlarm',
      this.lanes.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      'Events the evaluator could not handle are in the account lanes DLQ.',
    );
    alarm(
      'LaneBacklogAlarm',
      this.lanes.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      "An account's events wait in its lane for over 15 minutes.",
      900,
    );
    alarm('EvaluatorErrorsAlarm', errors, 'The evaluator Lambda failed invocations.');
    alarm('EvaluatorThrottlesAlarm', throttles, 'The evaluator hit its reserved concurrency.');
    alarm('RemediationFailedAlarm', failures, 'A remediation failed; the violation stands.');
    alarm('QueueBacklogAlarm', oldest, 'Events wait in the buffer for over 15 minutes.', 900);
    alarm(
      'SweepErrorsAlarm',
      this.sweep.metricErrors({ period: Duration.hours(1) }),
      'The scheduled sweep failed.',
    );
    alarm(
      'DigestErrorsAlarm',
      this.digest.metricErrors({ period: Duration.hours(1) }),
      'The compliance digest failed.',
    );

    new cloudwatch.Dashboard(this, 'Dashboard', {
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Violations and reverts',
            left: [violations, reverts, failures],
          }),
          new cloudwatch.GraphWidget({ title: 'Time to revert p95 (ms)', left: [timeToRevert] }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Dead-letter queue depth', left: [dlqDepth] }),
          new cloudwatch.GraphWidget({
            title: 'Evaluator errors and throttles',
            left: [errors, throttles],
          }),
          new cloudwatch.GraphWidget({ title: 'Oldest buffered event (s)', left: [oldest] }),
        ],
      ],
    });
  }

  private addRuntimeEnvironment(name: string, value: string): void {
    this.runtimeEnvironment[name] = value;
    this.evaluator.addEnvironment(name, value);
  }

  /** Every finding left is deliberate; each carries its reason. */
  private acknowledgeJustifiedFindings(evaluatorRole: iam.Role, actions: EvaluatorActions): void {
    acknowledgeGrantFindings(evaluatorRole, evaluatorGrants(actions, NAG_SCOPE));
    acknowledge(
      evaluatorRole,
      'RampartRemediationRole in every account: the target of an explicit Deny of every permission-changing IAM action, and (with deployment.organizationId) of sts:AssumeRole limited to the organization by aws:ResourceOrgID, since member accounts are not known at deploy time.',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${REMEDIATION_ROLE_NAME}]`,
    );
  }
}

/** cdk-nag's rendering of the approval-deadline schedules' ARN pattern. */
export const NAG_SCHEDULES_RESOURCE = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${SCHEDULE_GROUP_NAME}/*]`;
export const SCHEDULES_WILDCARD_REASON =
  "Approval deadline schedules are named per exception request at run time; the grant is limited to Rampart's own schedule group.";
