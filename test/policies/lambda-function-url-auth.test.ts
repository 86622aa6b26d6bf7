import { describe, expect, it } from 'vitest';
import { lambdaFunctionUrlAuth } from '../../policies/lambda-function-url-auth';
import {
  lambdaFunctionRef,
  LAMBDA_DEFAULTS,
  type LambdaFunctionSnapshot,
} from '../../src/resources/lambda-function';

const fn = (functionUrlAuthType?: string): LambdaFunctionSnapshot => ({
  type: 'AWS::Lambda::Function',
  ref: lambdaFunctionRef('123456789012', 'eu-west-1', 'webhook'),
  functionName: 'webhook',
  functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:webhook',
  architectures: ['arm64'],
  tracingMode: LAMBDA_DEFAULTS.tracingMode,
  timeoutSeconds: 3,
  ...(functionUrlAuthType ? { functionUrlAuthType } : {}),
});

describe('lambda-function-url-auth', () => {
  it('states its metadata: approve, security, its remediator', () => {
    expect(lambdaFunctionUrlAuth).toMatchObject({
      defaultMode: 'approve',
      pillar: 'security',
      remediatorId: 'lambda-url-require-iam',
    });
  });

  it('no URL or an AWS_IAM URL complies; a NONE URL violates', () => {
    expect(lambdaFunctionUrlAuth.evaluate(fn(), {})).toEqual({ compliant: true });
    expect(lambdaFunctionUrlAuth.evaluate(fn('AWS_IAM'), {})).toEqual({ compliant: true });
    const v = lambdaFunctionUrlAuth.evaluate(fn('NONE'), {});
    expect(v.compliant === false && v.finding.message).toBe(
      'Lambda function webhook has a public function URL (auth type NONE).',
    );
  });
});
