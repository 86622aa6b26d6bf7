import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { createFunctionWithRole } from '../../local/lambda-function';
import { readFunction } from '../../resources/lambda-function';
import { cloudTrailEvent } from '../events';
import type { DemoContext, DemoScenario } from '../scenario';
import { demoQueue, shortName } from './queues';

const createFunction = async (ctx: DemoContext, name: string) =>
  (
    await createFunctionWithRole(
      ctx.clients.get(IAMClient, ctx),
      ctx.clients.get(LambdaClient, ctx),
      name,
    )
  ).functionArn;

const describeFunction = (ctx: DemoContext, name: string) => async () => {
  const fn = await readFunction(ctx.clients, ctx, name);
  const onFailure = fn?.eventInvokeConfig?.onFailure ?? fn?.deadLetterTargetArn;
  return [
    `${name}  ${onFailure ? `on failure → ${shortName(onFailure)}` : 'failed async events are dropped'}`,
  ];
};

export const lambdaFunctionScenario: DemoScenario = {
  policyId: 'lambda-has-dlq',
  story: 'a function is deployed with nowhere to keep failed asynchronous events',
  async seed(ctx) {
    const arn = await createFunction(ctx, 'demo-thumbnails');
    await createFunction(ctx, 'demo-reports');
    const failures = await demoQueue(ctx, 'demo-reports-failures');
    await ctx.clients.get(LambdaClient, ctx).send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'demo-reports',
        DestinationConfig: { OnFailure: { Destination: failures.arn } },
      }),
    );
    return {
      // Real records name the function by its full ARN here.
      event: cloudTrailEvent(ctx, {
        eventSource: 'lambda.amazonaws.com',
        eventName: 'UpdateFunctionConfiguration20150331v2',
        requestParameters: { functionName: arn, memorySize: 512 },
        responseElements: null,
      }),
      describe: describeFunction(ctx, 'demo-thumbnails'),
      describeTwin: describeFunction(ctx, 'demo-reports'),
    };
  },
};
