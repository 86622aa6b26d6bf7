/**
 * The normalized snapshot of this resource type and the pure helpers policies use: no AWS
 * SDK at run time, so a policy's import graph stays small (test/policies/sdk-free.test.ts).
 */
import type { Snapshot } from '../../engine/definitions';

export const LAMBDA_FUNCTION = 'AWS::Lambda::Function' as const;

/** The unqualified function's asynchronous-invocation settings (PutFunctionEventInvokeConfig). */
export interface EventInvokeConfig {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
}

export interface LambdaFunctionSnapshot extends Snapshot {
  type: typeof LAMBDA_FUNCTION;
  functionName: string;
  functionArn: string;
  /** Execution role ARN. */
  role?: string;
  /** Legacy dead-letter target (DeadLetterConfig.TargetArn). */
  deadLetterTargetArn?: string;
  /** Undefined when the function has no event invoke config (or it could not be known). */
  eventInvokeConfig?: EventInvokeConfig;
  /** `nodejs22.x`, `python3.13`…; undefined for a container image (or a template without it). */
  runtime?: string;
  /** `Zip` or `Image`. */
  packageType?: string;
  /** `x86_64` or `arm64` (one of them); Lambda's default is x86_64. */
  architectures: string[];
  /** `Active` or `PassThrough` (Lambda's default). */
  tracingMode: string;
  /** Seconds; Lambda's default is 3. */
  timeoutSeconds: number;
  /** MB; Lambda's default is 128 (its minimum). */
  memorySizeMb?: number;
  /** The unqualified function's resource-based policy (GetPolicy, JSON text); absent: none. */
  resourcePolicy?: string;
  /** The unqualified function's URL auth type, `NONE` or `AWS_IAM`; absent: it has no URL. */
  functionUrlAuthType?: string;
}

/** Lambda's defaults where a function (or a template) does not say. */
export const LAMBDA_DEFAULTS = {
  architecture: 'x86_64',
  tracingMode: 'PassThrough',
  timeoutSeconds: 3,
  memorySizeMb: 128,
} as const;
