import * as z from 'zod';
import { definePolicy } from '../src/engine/definitions';
import {
  LAMBDA_FUNCTION,
  type LambdaFunctionSnapshot,
} from '../src/resources/lambda-function/snapshot';

export const lambdaFunctionUrlAuth = definePolicy<LambdaFunctionSnapshot, Record<string, never>>({
  id: 'lambda-function-url-auth',
  title: 'Lambda function URLs require IAM authentication',
  description:
    "A function whose URL has auth type NONE violates: anyone on the internet who learns the URL can invoke it. A function without a URL complies. The unqualified function's URL is judged (an alias's URL is not read).",
  rationale:
    'With auth NONE every request reaches the function code, which must then authenticate callers itself; AWS_IAM makes Lambda refuse unsigned requests before the function runs or is billed.',
  severity: 'high',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'Lambda.1' },
    { framework: 'aws-well-architected', id: 'SEC03-BP07' },
  ],
  resourceType: LAMBDA_FUNCTION,
  triggers: [
    'CreateFunction20150331',
    'CreateFunctionUrlConfig20211031',
    'UpdateFunctionUrlConfig20211031',
  ],
  // A public webhook may be meant to be one (and then checks a signature itself): a human
  // decides within the approval window; without an exception the URL requires IAM.
  defaultMode: 'approve',
  parameters: z.strictObject({}),
  remediatorId: 'lambda-url-require-iam',
  evaluate(snapshot) {
    if (snapshot.functionUrlAuthType !== 'NONE') return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `Lambda function ${snapshot.functionName} has a public function URL (auth type NONE).`,
        elements: [{ kind: 'function-url', description: 'AuthType: NONE' }],
      },
    };
  },
});
