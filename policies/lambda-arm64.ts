import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import {
  LAMBDA_FUNCTION,
  type LambdaFunctionSnapshot,
} from '../src/resources/lambda-function/snapshot';
import { LAMBDA_RUNTIMES } from './data/lambda-runtimes';

export const lambdaArm64 = definePolicy<LambdaFunctionSnapshot, Record<string, never>>({
  id: 'lambda-arm64',
  title: 'Lambda functions run on arm64 (Graviton)',
  description:
    'A function on x86_64 violates, unless its runtime never ran on arm64 (then not applicable).',
  rationale:
    'Lambda bills arm64 about 20% less per GB-second than x86_64, and most interpreted code runs unchanged on it.',
  severity: 'low',
  pillar: 'cost-optimization',
  controls: [
    { framework: 'aws-well-architected', id: 'COST06-BP03' },
    { framework: 'aws-well-architected', id: 'SUS05-BP01' },
  ],
  resourceType: LAMBDA_FUNCTION,
  triggers: ['CreateFunction20150331', 'UpdateFunctionConfiguration20150331v2'],
  // Native dependencies and container images are built per architecture: switching is a
  // build change only the team can make.
  defaultMode: 'notify',
  parameters: z.strictObject({}),
  evaluate(snapshot) {
    if (snapshot.architectures.includes('arm64')) return { compliant: true };
    if (snapshot.runtime && LAMBDA_RUNTIMES[snapshot.runtime]?.arm64 === false) {
      return notApplicable(`${snapshot.runtime} does not run on arm64`);
    }
    return {
      compliant: false,
      finding: {
        message: `Lambda function ${snapshot.functionName} runs on ${snapshot.architectures.join(', ')}, where arm64 costs less.`,
        elements: [{ kind: 'architecture', description: snapshot.architectures.join(', ') }],
      },
    };
  },
});
