import {
  Duration,
  aws_iam as iam,
  aws_kms as kms,
  aws_pipes as pipes,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { grantKeyUse } from './grants';

export interface AccountLanesProps {
  /** The buffer the rules fill (standard queue): events of every account, in arrival order. */
  intake: sqs.Queue;
  key: kms.IKey;
  /** The evaluator's timeout: the lanes' visibility timeout is six times it (AWS guidance). */
  evaluatorTimeout: Duration;
  maxReceiveCount: number;
}

/**
 * Fairness between accounts on the event path. An EventBridge Pipe moves each event from
 * the intake queue to a FIFO queue with the event's account as its message group (and its
 * event id as the deduplication id): Lambda keeps at most one batch of a group in flight, so
 * a noisy account (a Terraform apply of 5,000 resources) holds one lane of the evaluator's
 * concurrency and every other account's events pass it. Pipes and SQS do the sorting and
 * the ordering; Rampart's code does none. High-throughput FIFO (per message group) so the
 * queue's own limit is per account, not for the whole organization.
 */
export class AccountLanes extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: AccountLanesProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      fifo: true,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      fifo: true,
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      visibilityTimeout: Duration.seconds(props.evaluatorTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
    const role = new iam.Role(this, 'PipeRole', {
      assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com'),
      description: 'Rampart: moves buffered events into their account lane (FIFO message group)',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadIntake',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: [props.intake.queueArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'FillLanes',
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
      }),
    );
    grantKeyUse(role, props.key, 'encrypt');
    this.role = role;
    new pipes.CfnPipe(this, 'Pipe', {
      description: 'Rampart: intake queue → one FIFO message group per account',
      roleArn: role.roleArn,
      source: props.intake.queueArn,
      sourceParameters: { sqsQueueParameters: { batchSize: 10 } },
      target: this.queue.queueArn,
      // The event itself (the SQS body), not the record around it.
      targetParameters: {
        inputTemplate: '<$.body>',
        sqsQueueParameters: {
          messageGroupId: '$.body.account',
          messageDeduplicationId: '$.body.id',
        },
      },
    });
  }
}
