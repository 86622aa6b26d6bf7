import { GetRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import type { AwsClients } from '../src/aws/clients';
import { defineRemediator } from '../src/engine/definitions';
import { isAwsError } from '../src/resources/shared';
import {
  LAMBDA_FUNCTION,
  readFunction,
  type LambdaFunctionSnapshot,
} from '../src/resources/lambda-function';
import { decodePolicyDocument, iamClient } from '../src/resources/iam-principal';
import { ensureDeadLetterQueue } from './support/dead-letter-queue';
import { guarded, resourceGone, verificationFailed } from './support/guarded';

const failureTargetOf = (fn: LambdaFunctionSnapshot | undefined) => ({
  deadLetterTargetArn: fn?.deadLetterTargetArn,
  onFailure: fn?.eventInvokeConfig?.onFailure,
});

/** The inline policy that lets the execution role send to the queue (one per queue). */
async function grantSend(
  clients: AwsClients,
  scope: { account: string; region: string },
  roleArn: string,
  queueArn: string,
): Promise<string | undefined> {
  const roleName = roleArn.split('/').pop()!;
  const policyName = `rampart-send-to-${queueArn.split(':').pop()!}`.slice(0, 128);
  const document = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queueArn }],
  };
  const iam = iamClient(clients, scope);
  try {
    const existing = await iam.send(
      new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
    );
    if (
      JSON.stringify(decodePolicyDocument(existing.PolicyDocument)) === JSON.stringify(document)
    ) {
      return undefined;
    }
  } catch (error) {
    if (!isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
  }
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: roleName,
      PolicyName: policyName,
      PolicyDocument: JSON.stringify(document),
    }),
  );
  return `granted sqs:SendMessage on ${queueArn} to role ${roleName} (inline policy ${policyName})`;
}

/**
 * Gives a function somewhere to put failed asynchronous events: a designated queue or
 * `<function>-dlq`, sendable by its execution role, set as the on-failure destination
 * (AWS's recommended successor to DeadLetterConfig) or, by parameter, as DeadLetterConfig.
 * The existing event invoke config (retries, max age, on-success) is kept.
 */
export const lambdaAddFailureDestination = defineRemediator<LambdaFunctionSnapshot>({
  id: 'lambda-add-failure-destination',
  description:
    'Ensures a DLQ (designated or <function>-dlq), lets the execution role send to it, and sets it as on-failure destination.',
  resourceType: LAMBDA_FUNCTION,
  iamActions: {
    read: [
      'lambda:GetFunctionConfiguration',
      'lambda:GetFunctionEventInvokeConfig',
      'iam:GetRolePolicy',
      'sqs:GetQueueUrl',
      'sqs:GetQueueAttributes',
    ],
    write: [
      'sqs:CreateQueue',
      'sqs:TagQueue',
      'iam:PutRolePolicy',
      'lambda:PutFunctionEventInvokeConfig',
      'lambda:UpdateFunctionConfiguration',
    ],
  },
  remediate: ({ clients, snapshot, violation }) =>
    guarded(failureTargetOf(snapshot), async (changes) => {
      const current = await readFunction(clients, snapshot.ref, snapshot.functionName);
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
        });
        changes.push(...dlq.changes);
        queueArn = dlq.arn;
      }
      if (current.role) {
        const granted = await grantSend(clients, snapshot.ref, current.role, queueArn);
        if (granted) changes.push(granted);
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
        await readFunction(clients, snapshot.ref, snapshot.functionName),
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
