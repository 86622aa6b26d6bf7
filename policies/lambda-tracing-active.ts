import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import {
  LAMBDA_FUNCTION,
  type LambdaFunctionSnapshot,
} from '../src/resources/lambda-function/snapshot';

export const lambdaTracingActive = definePolicy<LambdaFunctionSnapshot, Record<string, never>>({
  id: 'lambda-tracing-active',
  title: 'Lambda functions have active X-Ray tracing',
  description:
    'A function whose TracingConfig.Mode is not Active (PassThrough, the default) violates.',
  rationale:
    'Without traces, a slow or failing request through several functions and services is found by reading logs one by one; active tracing shows where the time and the errors are.',
  severity: 'low',
  pillar: 'operational-excellence',
  controls: [{ framework: 'aws-well-architected', id: 'OPS04-BP05' }],
  resourceType: LAMBDA_FUNCTION,
  triggers: ['CreateFunction20150331', 'UpdateFunctionConfiguration20150331v2'],
  // Tracing needs X-Ray write permissions in the function's own role and costs per trace:
  // the team decides, so Rampart only says so.
  defaultMode: 'notify',
  parameters: z.strictObject({}),
  evaluate(snapshot) {
    if (snapshot.tracingMode === 'Active') return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `Lambda function ${snapshot.functionName} has X-Ray tracing ${snapshot.tracingMode}, not Active.`,
        elements: [{ kind: 'tracing', description: `TracingConfig.Mode ${snapshot.tracingMode}` }],
      },
    };
  },
});
