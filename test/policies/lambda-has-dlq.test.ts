import { describe, expect, it } from 'vitest';
import { lambdaHasDlq } from '../../policies/lambda-has-dlq';
import {
  lambdaFunctionRef,
  type LambdaFunctionSnapshot,
} from '../../src/resources/lambda-function';

const fn = (over: Partial<LambdaFunctionSnapshot> = {}): LambdaFunctionSnapshot => ({
  type: 'AWS::Lambda::Function',
  ref: lambdaFunctionRef('123456789012', 'eu-west-1', 'resize'),
  functionName: 'resize',
  functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:resize',
  role: 'arn:aws:iam::123456789012:role/resize-role',
  architectures: ['arm64'],
  tracingMode: 'Active',
  timeoutSeconds: 30,
  ...over,
});
const defaults = lambdaHasDlq.parameters.parse({});
const QUEUE = 'arn:aws:sqs:eu-west-1:123456789012:failed-events';

describe('lambda-has-dlq', () => {
  it('accepts a DeadLetterConfig or an on-failure destination', () => {
    expect(lambdaHasDlq.evaluate(fn({ deadLetterTargetArn: QUEUE }), defaults).compliant).toBe(
      true,
    );
    expect(
      lambdaHasDlq.evaluate(fn({ eventInvokeConfig: { onFailure: QUEUE } }), defaults).compliant,
    ).toBe(true);
  });

  it('flags a function with neither, including one with only an on-success destination', () => {
    expect(lambdaHasDlq.evaluate(fn(), defaults).compliant).toBe(false);
    const verdict = lambdaHasDlq.evaluate(
      fn({ eventInvokeConfig: { onSuccess: QUEUE, maximumRetryAttempts: 1 } }),
      defaults,
    );
    expect(verdict.compliant).toBe(false);
    if (verdict.compliant !== false) return;
    expect(verdict.finding.message).toContain('resize');
    expect(verdict.finding.remedy).toEqual({ queueArn: undefined, useDeadLetterConfig: false });
  });

  it('passes a designated queue and the DeadLetterConfig choice to the remediator', () => {
    const verdict = lambdaHasDlq.evaluate(
      fn(),
      lambdaHasDlq.parameters.parse({ designatedQueueArn: QUEUE, useDeadLetterConfig: true }),
    );
    expect(verdict.compliant === false && verdict.finding.remedy).toEqual({
      queueArn: QUEUE,
      useDeadLetterConfig: true,
    });
  });

  it('rejects a designated queue that is not an SQS ARN', () => {
    expect(() => lambdaHasDlq.parameters.parse({ designatedQueueArn: 'failed-events' })).toThrow(
      /SQS queue ARN/,
    );
  });
});
