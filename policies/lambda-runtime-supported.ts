import * as z from 'zod';
import { definePolicy, notApplicable } from '../src/engine/definitions';
import {
  LAMBDA_FUNCTION,
  type LambdaFunctionSnapshot,
} from '../src/resources/lambda-function/snapshot';
import { LAMBDA_RUNTIMES } from './data/lambda-runtimes';

const DAY_MS = 24 * 3600 * 1000;

export const lambdaRuntimeSupportedParameters = z.strictObject({
  warnDays: z
    .number()
    .int()
    .min(0)
    .max(730)
    .default(180)
    .describe('A runtime deprecated within this many days already violates (time to upgrade).'),
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
    .optional()
    .describe('Judge as of this day instead of today (plan upgrades; reproducible checks).'),
});
export type LambdaRuntimeSupportedParameters = z.output<typeof lambdaRuntimeSupportedParameters>;

export const lambdaRuntimeSupported = definePolicy<
  LambdaFunctionSnapshot,
  LambdaRuntimeSupportedParameters
>({
  id: 'lambda-runtime-supported',
  title: 'Lambda functions use a supported runtime',
  description:
    'A function on a runtime AWS has deprecated, or deprecates within warnDays, violates (dates in policies/data/lambda-runtimes.ts). Container images bring their own runtime: not applicable.',
  rationale:
    'A deprecated runtime gets no security patches, and AWS then blocks creating and later updating functions on it: an upgrade that waits for an incident is an upgrade under pressure.',
  severity: 'medium',
  pillar: 'security',
  controls: [
    { framework: 'aws-fsbp', id: 'Lambda.2' },
    { framework: 'aws-well-architected', id: 'SEC06-BP01' },
  ],
  resourceType: LAMBDA_FUNCTION,
  triggers: ['CreateFunction20150331', 'UpdateFunctionConfiguration20150331v2'],
  // Upgrading a runtime means new code and tests: only the team can do it.
  defaultMode: 'notify',
  parameters: lambdaRuntimeSupportedParameters,
  evaluate(snapshot, params) {
    if (!snapshot.runtime) return notApplicable('no managed runtime (a container image)');
    const deprecation = LAMBDA_RUNTIMES[snapshot.runtime]?.deprecation;
    if (!deprecation) return { compliant: true };
    const today = params.asOf ? Date.parse(params.asOf) : Date.now();
    const daysLeft = Math.ceil((Date.parse(deprecation) - today) / DAY_MS);
    if (daysLeft > params.warnDays) return { compliant: true };
    const when =
      daysLeft <= 0
        ? `was deprecated on ${deprecation}`
        : `is deprecated on ${deprecation} (in ${daysLeft} days)`;
    return {
      compliant: false,
      finding: {
        message: `Lambda function ${snapshot.functionName} runs ${snapshot.runtime}, which ${when}.`,
        elements: [
          { kind: 'runtime', id: snapshot.runtime, description: `deprecation ${deprecation}` },
        ],
      },
    };
  },
});
