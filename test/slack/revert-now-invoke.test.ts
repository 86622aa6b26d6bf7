import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import { APPROVAL_DEADLINE_DETAIL_TYPE, approvalDeadlineOf } from '../../src/exceptions/deadline';
import { invokeEvaluator } from '../../src/slack/app-wiring';

// moto runs Lambda invocations in Docker, which the test machines lack: the call is checked
// against the SDK's documented request shape instead (docs/testing.md).
describe('"Revert now" in AWS invokes the evaluator asynchronously', () => {
  const lambda = mockClient(LambdaClient);
  afterEach(() => lambda.reset());

  it('sends the approval-over event with InvocationType Event to the evaluator function', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const clients = new AwsClients();
    const arn = 'arn:aws:lambda:eu-central-1:123456789012:function:rampart-evaluator';
    const resource = {
      partition: 'aws',
      account: '123456789012',
      region: 'eu-central-1',
      type: 'AWS::EC2::SecurityGroup',
      id: 'sg-1',
      arn: 'arn:aws:ec2:eu-central-1:123456789012:security-group/sg-1',
    };
    const trigger = {
      source: 'cloudtrail' as const,
      eventId: 'e1',
      eventName: 'AuthorizeSecurityGroupIngress',
      eventSource: 'ec2.amazonaws.com',
      eventTime: '2026-11-23T10:00:00.000Z',
    };
    await invokeEvaluator(
      clients,
      arn,
    )({
      approvalId: 'a1',
      policyId: 'sg-no-public-ingress',
      resource,
      trigger,
      deadline: '2026-11-23T10:05:00.000Z',
      reason: 'revert-now',
      requestedBy: 'U1',
    });

    const [call] = lambda.commandCalls(InvokeCommand);
    expect(call!.args[0].input).toMatchObject({ FunctionName: arn, InvocationType: 'Event' });
    const payload = JSON.parse(new TextDecoder().decode(call!.args[0].input.Payload as Uint8Array));
    expect(payload['detail-type']).toBe(APPROVAL_DEADLINE_DETAIL_TYPE);
    expect(approvalDeadlineOf(payload['detail-type'], payload.detail)).toMatchObject({
      reason: 'revert-now',
      requestedBy: 'U1',
      resource,
    });
    expect(await lambda.call(0).thisValue.config.region()).toBe('eu-central-1');
    clients.destroy();
  });
});
