import { IAMClient } from '@aws-sdk/client-iam';
import {
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { lambdaAddFailureDestination } from '../../remediators/lambda-add-failure-destination';
import { AwsClients } from '../../src/aws/clients';
import {
  lambdaFunctionRef,
  type LambdaFunctionSnapshot,
} from '../../src/resources/lambda-function';

// moto appends a second PutFunctionEventInvokeConfig instead of replacing the first and never
// stores DeadLetterConfig (docs/testing.md): both paths are checked against mocked clients.
const lambda = mockClient(LambdaClient);
const iam = mockClient(IAMClient);
const REGION = 'eu-west-3';
const QUEUE = `arn:aws:sqs:${REGION}:123456789012:all-failures`;
const SUCCESS = `arn:aws:sqs:${REGION}:123456789012:done`;
const snapshot: LambdaFunctionSnapshot = {
  type: 'AWS::Lambda::Function',
  ref: lambdaFunctionRef('123456789012', REGION, 'resize'),
  functionName: 'resize',
  functionArn: `arn:aws:lambda:${REGION}:123456789012:function:resize`,
  role: 'arn:aws:iam::123456789012:role/service/resize-role',
  architectures: ['arm64'],
  tracingMode: 'Active',
  timeoutSeconds: 30,
};
const violation = (remedy: Record<string, unknown>) => ({
  policyId: 'lambda-has-dlq',
  resource: snapshot.ref,
  message: 'no failure target',
  elements: [],
  remedy,
});

describe('lambda-add-failure-destination (Lambda and IAM mocked)', () => {
  const clients = new AwsClients({ maxAttempts: 1 });
  afterEach(() => {
    lambda.reset();
    iam.reset();
  });
  afterAll(() => {
    lambda.restore();
    iam.restore();
    clients.destroy();
  });

  it('keeps retries and the on-success destination when adding OnFailure', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolves({ FunctionName: 'resize', FunctionArn: snapshot.functionArn, Role: snapshot.role });
    lambda
      .on(GetFunctionEventInvokeConfigCommand)
      .resolvesOnce({
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 600,
        DestinationConfig: { OnSuccess: { Destination: SUCCESS } },
      })
      .resolves({
        MaximumRetryAttempts: 1,
        DestinationConfig: {
          OnSuccess: { Destination: SUCCESS },
          OnFailure: { Destination: QUEUE },
        },
      });
    const result = await lambdaAddFailureDestination.remediate({
      clients,
      snapshot,
      violation: violation({ queueArn: QUEUE }),
    });
    expect(result.status).toBe('reverted');
    expect(lambda.commandCalls(PutFunctionEventInvokeConfigCommand)[0]!.args[0].input).toEqual({
      FunctionName: 'resize',
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 600,
      DestinationConfig: { OnSuccess: { Destination: SUCCESS }, OnFailure: { Destination: QUEUE } },
    });
    // A designated queue is its owner's to open to senders: Rampart makes no IAM call at all.
    expect(iam.calls()).toHaveLength(0);
  });

  it('sets DeadLetterConfig instead when asked to, and verifies it', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolvesOnce({ FunctionName: 'resize', Role: snapshot.role })
      .resolves({
        FunctionName: 'resize',
        Role: snapshot.role,
        DeadLetterConfig: { TargetArn: QUEUE },
      });
    lambda
      .on(GetFunctionEventInvokeConfigCommand)
      .rejects(Object.assign(new Error('none'), { name: 'ResourceNotFoundException' }));
    const result = await lambdaAddFailureDestination.remediate({
      clients,
      snapshot,
      violation: violation({ queueArn: QUEUE, useDeadLetterConfig: true }),
    });
    expect(result).toMatchObject({
      status: 'reverted',
      changes: [`set DeadLetterConfig of resize to ${QUEUE}`],
    });
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)[0]!.args[0].input).toEqual({
      FunctionName: 'resize',
      DeadLetterConfig: { TargetArn: QUEUE },
    });
    expect(iam.calls()).toHaveLength(0);
    expect(lambda.commandCalls(PutFunctionEventInvokeConfigCommand)).toHaveLength(0);
  });

  it('fails with the AWS error when the destination is refused', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolves({ FunctionName: 'resize', Role: snapshot.role });
    lambda
      .on(GetFunctionEventInvokeConfigCommand)
      .rejects(Object.assign(new Error('none'), { name: 'ResourceNotFoundException' }));
    lambda
      .on(PutFunctionEventInvokeConfigCommand)
      .rejects(
        Object.assign(
          new Error(
            'The function execution role does not have permissions to call SendMessage on ' + QUEUE,
          ),
          { name: 'InvalidParameterValueException' },
        ),
      );
    const result = await lambdaAddFailureDestination.remediate({
      clients,
      snapshot,
      violation: violation({ queueArn: QUEUE }),
    });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^InvalidParameterValueException: The function execution role/);
    expect(result.changes).toEqual([]);
    expect(iam.calls()).toHaveLength(0);
  });
});
