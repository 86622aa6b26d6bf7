import { IAMClient } from '@aws-sdk/client-iam';
import {
  CreateEventSourceMappingCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createFunctionWithRole } from '../../local/lambda-function';
import { readEventSource } from '../../resources/lambda-event-source';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';

const describeMapping = (ctx: DemoContext, uuid: string, label: string) => async () => {
  const m = await readEventSource(ctx.clients, ctx, uuid);
  if (!m) return [`${label}  (gone)`];
  return [
    `${label}  visibility ${m.queueVisibilityTimeoutSeconds} s, function timeout ${m.functionTimeoutSeconds} s`,
  ];
};

export const lambdaEventSourceScenario: DemoScenario = {
  policyId: 'sqs-visibility-covers-function',
  story:
    "a queue's visibility timeout is set below six times its consumer's timeout (notify: reported, not changed)",
  async seed(ctx) {
    const sqs = ctx.clients.get(SQSClient, ctx);
    const lambda = ctx.clients.get(LambdaClient, ctx);
    const queue = async (name: string, visibility: number) => {
      const url = (
        await sqs.send(
          new CreateQueueCommand({
            QueueName: name,
            Attributes: { VisibilityTimeout: String(visibility), SqsManagedSseEnabled: 'true' },
          }),
        )
      ).QueueUrl!;
      return (
        await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
        )
      ).Attributes!.QueueArn!;
    };
    const fn = await createFunctionWithRole(
      ctx.clients.get(IAMClient, ctx),
      lambda,
      'demo-invoice-worker',
    );
    // Its failed asynchronous invocations have somewhere to go (lambda-has-dlq).
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'demo-invoice-worker',
        DestinationConfig: { OnFailure: { Destination: await queue('demo-billing-failures', 30) } },
      }),
    );
    // No message is sent: the emulator would need Docker to invoke the function.
    const map = async (queueArn: string) =>
      (
        await lambda.send(
          new CreateEventSourceMappingCommand({
            EventSourceArn: queueArn,
            FunctionName: fn.functionArn,
          }),
        )
      ).UUID!;
    const short = await map(await queue('demo-billing-jobs', 10));
    const covered = await map(await queue('demo-billing-replay', 60));
    return {
      event: cloudTrailEvent(ctx, {
        eventSource: 'lambda.amazonaws.com',
        eventName: 'CreateEventSourceMapping20150331',
        requestParameters: { functionName: 'demo-invoice-worker', batchSize: 10 },
        responseElements: { uUID: short, state: 'Creating' },
      }),
      describe: describeMapping(ctx, short, 'demo-billing-jobs → demo-invoice-worker'),
      describeTwin: describeMapping(ctx, covered, 'demo-billing-replay → demo-invoice-worker'),
    };
  },
};
