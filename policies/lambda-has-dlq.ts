import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import {
  LAMBDA_FUNCTION,
  type LambdaFunctionSnapshot,
} from '../src/resources/lambda-function/snapshot';

const queueArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/, 'expected an SQS queue ARN');

export const lambdaHasDlqParameters = z.strictObject({
  designatedQueueArn: queueArn
    .optional()
    .describe(
      'Send failed events of every function to this queue instead of creating `<function>-dlq`.',
    ),
  useDeadLetterConfig: z
    .boolean()
    .default(false)
    .describe('Set the legacy DeadLetterConfig instead of an on-failure destination.'),
});
export type LambdaHasDlqParameters = z.output<typeof lambdaHasDlqParameters>;

export function hasFailureTarget(fn: LambdaFunctionSnapshot): boolean {
  return !!fn.deadLetterTargetArn || !!fn.eventInvokeConfig?.onFailure;
}

export const lambdaHasDlq = definePolicy<LambdaFunctionSnapshot, LambdaHasDlqParameters>({
  id: 'lambda-has-dlq',
  title: 'Lambda functions keep failed asynchronous events',
  description:
    'A function with neither a DeadLetterConfig nor an on-failure destination (event invoke config) violates.',
  rationale:
    'An asynchronous invocation that fails all its retries is dropped without a trace unless it goes to a dead-letter queue or an on-failure destination; with one it can be inspected and replayed.',
  severity: 'medium',
  pillar: 'reliability',
  controls: [{ framework: 'aws-well-architected', id: 'REL05-BP04' }],
  resourceType: LAMBDA_FUNCTION,
  triggers: [
    'CreateFunction20150331',
    'UpdateFunctionConfiguration20150331v2',
    'PutFunctionEventInvokeConfig',
    // Not in the list, but it can drop the on-failure destination just as well.
    'UpdateFunctionEventInvokeConfig',
    'DeleteFunctionEventInvokeConfig',
  ],
  defaultMode: 'enforce',
  parameters: lambdaHasDlqParameters,
  remediatorId: 'lambda-add-failure-destination',
  evaluate(snapshot, params) {
    if (hasFailureTarget(snapshot)) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `Lambda function ${snapshot.functionName} has neither a dead-letter queue nor an on-failure destination: failed asynchronous events are lost.`,
        elements: [
          {
            kind: 'failure-destination',
            description: 'no DeadLetterConfig, no OnFailure destination',
          },
        ],
        remedy: {
          queueArn: params.designatedQueueArn,
          useDeadLetterConfig: params.useDeadLetterConfig,
        },
      },
    };
  },
});
