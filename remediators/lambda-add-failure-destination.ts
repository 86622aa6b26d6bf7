import {
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { SQS_QUEUE_SCOPE } from '../src/resources/sqs-queue/scope';
import { defineRemediator } from '../src/engine/definitions';
import {
  LAMBDA_FUNCTION,
  readFunction,
  type LambdaFunctionSnapshot,
} from '../src/resources/lambda-function';
import { ensureDeadLetterQueue } from './support/dead-letter-queue';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

const failureTargetOf = (fn: LambdaFunctionSnapshot | undefined) => ({
  deadLetterTargetArn: fn?.deadLetterTargetArn,
  onFailure: fn?.eventInvokeConfig?.onFailure,
});

/**
 * Gives a function somewhere to put failed asynchronous events: a designated queue, or a
 * queue Rampart creates for this function (`<function>-dlq`, or a unique name when that one
 * belongs to someone else) whose queue policy lets the function's execution role send (same
 * account: no IAM write at all), set as the on-failure destination (AWS's recommended
 * successor to DeadLetterConfig) or, by parameter, as DeadLetterConfig. A designated queue
 * is its owner's: Rampart never edits its policy (its owner allows the senders). The
 * existing event invoke config (retries, max age, on-success) is kept.
 */
export const lambdaAddFailureDestination = defineRemediator<LambdaFunctionSnapshot>({
  id: 'lambda-add-failure-destination',
  description:
    'Ensures a DLQ (designated, or one Rampart creates for the function with a queue policy for its execution role) and sets it as on-failure destination.',
  resourceType: LAMBDA_FUNCTION,
  iamActions: {
    read: [
      'lambda:GetFunctionConfiguration',
      'lambda:GetFunctionEventInvokeConfig',
      'sqs:GetQueueUrl',
      'sqs:GetQueueAttributes',
      'sqs:ListQueueTags',
    ],
    write: [
      'sqs:CreateQueue',
      'sqs:TagQueue',
      'sqs:SetQueueAttributes',
      'lambda:PutFunctionEventInvokeConfig',
      'lambda:UpdateFunctionConfiguration',
    ],
  },
  // The dead-letter queue it creates and tags.
  alsoWrites: [SQS_QUEUE_SCOPE],
  // CreateQueue with tags needs sqs:TagQueue as well (tag-on-create).
  impliedActions: { 'sqs:TagQueue': 'sqs:CreateQueue with tags (the queue is tagged on creation)' },
  remediate: ({ clients, snapshot, violation }) =>
    guarded(failureTargetOf(snapshot), async (changes) => {
      // Only its failure targets matter here: who may invoke it is not read.
      const current = await readFunction(clients, snapshot.ref, snapshot.functionName, {
        access: false,
      });
      if (!current) {
        return resourceGone(changes, `function ${snapshot.functionName}`);
      }
      const before = failureTargetOf(current);
      if (before.deadLetterTargetArn || before.onFailure) {
        return { status: 'already-compliant', changes, before, after: before };
      }
      const designated = violation.remedy?.queueArn as string | undefined;
      let queueArn = designated;
      if (!queueArn) {
        const dlq = await ensureDeadLetterQueue(clients, snapshot.ref, {
          baseName: current.functionName,
          fifo: false, // Lambda destinations and DLQs must be standard queues
          deadLetterFor: current.functionArn,
          ...(current.role ? { allowSend: { roleArn: current.role } } : {}),
        });
        changes.push(...dlq.changes);
        queueArn = dlq.arn;
      }
      const lambda = clients.get(LambdaClient, snapshot.ref);
      if (violation.remedy?.useDeadLetterConfig === true) {
        await lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: current.functionName,
            DeadLetterConfig: { TargetArn: queueArn },
          }),
        );
        changes.push(`set DeadLetterConfig of ${current.functionName} to ${queueArn}`);
      } else {
        const existing = current.eventInvokeConfig;
        await lambda.send(
          new PutFunctionEventInvokeConfigCommand({
            FunctionName: current.functionName,
            ...(existing?.maximumRetryAttempts !== undefined
              ? { MaximumRetryAttempts: existing.maximumRetryAttempts }
              : {}),
            ...(existing?.maximumEventAgeInSeconds !== undefined
              ? { MaximumEventAgeInSeconds: existing.maximumEventAgeInSeconds }
              : {}),
            DestinationConfig: {
              ...(existing?.onSuccess ? { OnSuccess: { Destination: existing.onSuccess } } : {}),
              OnFailure: { Destination: queueArn },
            },
          }),
        );
        changes.push(`set on-failure destination of ${current.functionName} to ${queueArn}`);
      }
      const after = failureTargetOf(
        await readFunction(clients, snapshot.ref, snapshot.functionName, { access: false }),
      );
      if (after.deadLetterTargetArn !== queueArn && after.onFailure !== queueArn) {
        return verificationFailed(
          changes,
          before,
          after,
          `${current.functionName} still has no failure target ${queueArn}`,
        );
      }
      return { status: 'reverted', changes, before, after };
    }),
});
