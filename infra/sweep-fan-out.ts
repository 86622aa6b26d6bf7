import {
  CfnElement,
  Duration,
  Stack,
  Token,
  aws_dynamodb as dynamodb,
  aws_events as events,
  aws_events_targets as targets,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_sqs as sqs,
  aws_stepfunctions as sfn,
  aws_stepfunctions_tasks as tasks,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { shardPartition } from '../src/history/shards';
import { grantKeyUse, grantTableActions } from './grants';
import { acknowledge } from './nag';

export interface SweepFanOutProps {
  /** The sweep function: its `plan`, `shard` and `assemble` stages (src/handlers/sweep.ts). */
  sweep: lambda.IFunction;
  historyTable: dynamodb.ITable;
  key: kms.IKey;
  /** Where a shard that failed after its retries goes, with its task and error. */
  deadLetterQueue: sqs.IQueue;
  /** deployment.schedules.sweep */
  schedule: string;
  /** Accounts swept at once (the Distributed Map's MaxConcurrency). */
  accountsAtOnce: number;
  /** Shards (regions) of one account at once: what keeps Rampart off a member's own API quota. */
  shardsPerAccount: number;
}

/** Per-attempt retries of a shard before it is failed; the whole run never restarts. */
export const SHARD_RETRIES = 2;

/**
 * The sweep on Step Functions: plan → a Distributed Map over accounts (at most
 * `accountsAtOnce`) → an inline Map over that account's regions (at most `shardsPerAccount`)
 * → each shard invoked again from its checkpoint until it says it is finished, retried
 * alone, and after its retries recorded failed in the history table and sent to the
 * dead-letter queue with its error → assemble. Step Functions is the scheduler and the
 * retry loop; Rampart's code only sweeps. Why a state machine and not a queue of shards:
 * docs/deploy.md#the-sweep-at-organization-scale.
 */
export class SweepFanOut extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: SweepFanOutProps) {
    super(scope, id);
    const invoke = (name: string, payload: Record<string, unknown>, result: string) =>
      new tasks.LambdaInvoke(this, name, {
        lambdaFunction: props.sweep,
        payload: sfn.TaskInput.fromObject(payload),
        resultSelector: { [`${result}.$`]: '$.Payload' },
        retryOnServiceExceptions: true,
      });

    const plan = invoke('Plan', { stage: 'plan' }, 'plan');
    const sweepShard = invoke('SweepShard', { stage: 'shard', 'task.$': '$.task' }, 'task');
    sweepShard.addRetry({
      errors: ['States.TaskFailed', 'States.Timeout'],
      interval: Duration.seconds(30),
      backoffRate: 2,
      maxAttempts: SHARD_RETRIES,
    });
    const recordFailure = new tasks.DynamoPutItem(this, 'RecordShardFailure', {
      table: props.historyTable,
      item: {
        pk: tasks.DynamoAttributeValue.fromString(
          sfn.JsonPath.format(`${shardPartition('{}')}`, sfn.JsonPath.stringAt('$.task.runId')),
        ),
        sk: tasks.DynamoAttributeValue.fromString(
          sfn.JsonPath.format(
            '{}#{}#failed',
            sfn.JsonPath.stringAt('$.task.account'),
            sfn.JsonPath.stringAt('$.task.region'),
          ),
        ),
        account: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.task.account')),
        region: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.task.region')),
        error: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.failure.Error')),
        cause: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.failure.Cause')),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    // An SDK integration rather than SqsSendMessage, whose grant on the queue's key uses
    // wildcard actions (kms:GenerateDataKey*); the key use is granted below, by name.
    const deadLetter = new tasks.CallAwsService(this, 'DeadLetterShard', {
      service: 'sqs',
      action: 'sendMessage',
      iamAction: 'sqs:SendMessage',
      iamResources: [props.deadLetterQueue.queueArn],
      parameters: {
        QueueUrl: props.deadLetterQueue.queueUrl,
        MessageBody: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$')),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    sweepShard.addCatch(recordFailure.next(deadLetter).next(new sfn.Succeed(this, 'ShardFailed')), {
      errors: ['States.ALL'],
      resultPath: '$.failure',
    });
    const shardLoop = sweepShard.next(
      new sfn.Choice(this, 'ShardFinished')
        .when(
          sfn.Condition.booleanEquals('$.task.finished', true),
          new sfn.Succeed(this, 'ShardDone'),
        )
        // A shard past its deadline returns its checkpoint: the same shard resumes from it.
        .otherwise(sweepShard),
    );

    const regions = new sfn.Map(this, 'Regions', {
      itemsPath: '$.run.regions',
      maxConcurrency: props.shardsPerAccount,
      itemSelector: {
        task: {
          'runId.$': '$.run.runId',
          'startedAt.$': '$.run.startedAt',
          'previous.$': '$.run.previous',
          'remediate.$': '$.run.remediate',
          'account.$': '$.account',
          'region.$': '$$.Map.Item.Value',
          'regionIndex.$': '$$.Map.Item.Index',
        },
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    regions.itemProcessor(shardLoop);

    const accounts = new sfn.DistributedMap(this, 'Accounts', {
      itemsPath: '$.plan.accounts',
      maxConcurrency: props.accountsAtOnce,
      // Each account's child execution gets the run, not the plan's list of every account.
      itemSelector: {
        run: {
          'runId.$': '$.plan.runId',
          'startedAt.$': '$.plan.startedAt',
          'previous.$': '$.plan.previous',
          'remediate.$': '$.plan.remediate',
          'regions.$': '$.plan.regions',
        },
        'account.$': '$$.Map.Item.Value',
      },
      resultPath: sfn.JsonPath.DISCARD,
      // A shard's failure is caught, recorded and dead-lettered inside its account.
      toleratedFailurePercentage: 100,
    });
    accounts.itemProcessor(regions);

    const assemble = invoke('Assemble', { stage: 'assemble', 'plan.$': '$.plan' }, 'summary');

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Rampart sweep: plan → accounts × regions shards (checkpointed) → assemble',
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(accounts).next(assemble)),
      // A daily sweep: a run that has not finished in a day is stuck.
      timeout: Duration.hours(23),
    });
    grantTableActions(this.stateMachine, props.historyTable, props.key, ['dynamodb:PutItem']);
    grantKeyUse(this.stateMachine, props.key, 'encrypt');
    acknowledge(
      this.stateMachine,
      "Step Functions logging to CloudWatch needs logs:CreateLogDelivery and kin on `*`, a write Rampart's roles never hold; each run's history is kept by Step Functions (90 days) and every stage logs through the sweep function.",
      'AwsSolutions-SF1',
    );
    acknowledge(
      this.stateMachine,
      "Rampart's functions are traced by their audit lines; X-Ray tracing would need an xray:Put* grant on `*`, and Rampart's roles hold no write on `*`.",
      'AwsSolutions-SF2',
    );
    const stack = Stack.of(this);
    const functionId = stack.getLogicalId(props.sweep.node.defaultChild as CfnElement);
    const machineId = stack.getLogicalId(this.stateMachine.node.defaultChild as CfnElement);
    // As cdk-nag renders them: pseudo parameters by name, a stack's own env literally.
    const nagValue = (value: string, pseudo: string) =>
      Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
    const region = nagValue(stack.region, 'Region');
    const account = nagValue(stack.account, 'AccountId');
    const executions = `arn:<AWS::Partition>:states:${region}:${account}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machineId}"}]}]}`;
    acknowledge(
      this.stateMachine,
      "Step Functions' LambdaInvoke grants lambda:InvokeFunction on the sweep function and its versions (`:*`); the Distributed Map grants reading and stopping its own child executions.",
      `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      `AwsSolutions-IAM5[Resource::${executions}:*]`,
      `AwsSolutions-IAM5[Resource::${executions}/*:*]`,
    );

    new events.Rule(this, 'Schedule', {
      description:
        'Rampart: the periodic sweep (deployment.schedules.sweep) as a state machine run',
      schedule: events.Schedule.expression(props.schedule),
      targets: [
        new targets.SfnStateMachine(this.stateMachine, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: 2,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }

  /** The role Step Functions runs as: one of Rampart's, out of the evaluator's reach. */
  get role(): iam.IRole {
    return this.stateMachine.role;
  }
}
