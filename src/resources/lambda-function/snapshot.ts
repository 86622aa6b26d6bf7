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
}
