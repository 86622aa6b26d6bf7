import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import {
  LAMBDA_FUNCTION,
  type LambdaFunctionSnapshot,
} from '../src/resources/lambda-function/snapshot';

export const lambdaMemoryAboveMinimumParameters = z.strictObject({
  minimumMb: z
    .number()
    .int()
    .min(128)
    .max(10240)
    .default(256)
    .describe('A function with less memory than this violates (Lambda gives CPU in proportion).'),
});
export type LambdaMemoryAboveMinimumParameters = z.output<
  typeof lambdaMemoryAboveMinimumParameters
>;

export const lambdaMemoryAboveMinimum = definePolicy<
  LambdaFunctionSnapshot,
  LambdaMemoryAboveMinimumParameters
>({
  id: 'lambda-memory-above-minimum',
  title: 'Lambda functions are not left at the smallest memory size',
  description:
    'A function with less memory than minimumMb (default 256 MB; Lambda defaults to 128 MB) violates.',
  rationale:
    'Lambda gives CPU in proportion to memory: at 128 MB a function gets a fraction of a vCPU, so most code runs several times slower there, and often costs no less because it bills for longer.',
  severity: 'low',
  pillar: 'performance-efficiency',
  controls: [{ framework: 'aws-well-architected', id: 'PERF02-BP04' }],
  resourceType: LAMBDA_FUNCTION,
  triggers: ['CreateFunction20150331', 'UpdateFunctionConfiguration20150331v2'],
  // The right size comes from measuring the function (Lambda Power Tuning): the team's call.
  defaultMode: 'notify',
  parameters: lambdaMemoryAboveMinimumParameters,
  evaluate(snapshot, params) {
    if (snapshot.memorySizeMb === undefined) return notApplicable('memory size not known');
    if (snapshot.memorySizeMb >= params.minimumMb) return { compliant: true };
    return {
      compliant: false,
      finding: {
        message: `Lambda function ${snapshot.functionName} has ${snapshot.memorySizeMb} MB, less than ${params.minimumMb} MB: it gets a fraction of a vCPU.`,
        elements: [{ kind: 'memory', description: `${snapshot.memorySizeMb} MB` }],
      },
    };
  },
});
