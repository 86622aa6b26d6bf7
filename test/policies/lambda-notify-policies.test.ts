import { describe, expect, it } from 'vitest';
import { lambdaArm64 } from '../../policies/lambda-arm64';
import { lambdaMemoryAboveMinimum } from '../../policies/lambda-memory-above-minimum';
import { lambdaRuntimeSupported } from '../../policies/lambda-runtime-supported';
import { lambdaTracingActive } from '../../policies/lambda-tracing-active';
import { LAMBDA_RUNTIMES } from '../../policies/data/lambda-runtimes';
import {
  lambdaFunctionRef,
  type LambdaFunctionSnapshot,
} from '../../src/resources/lambda-function';

const fn = (over: Partial<LambdaFunctionSnapshot> = {}): LambdaFunctionSnapshot => ({
  type: 'AWS::Lambda::Function',
  ref: lambdaFunctionRef('123456789012', 'eu-west-1', 'resize'),
  functionName: 'resize',
  functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:resize',
  runtime: 'nodejs24.x',
  packageType: 'Zip',
  architectures: ['arm64'],
  tracingMode: 'Active',
  timeoutSeconds: 30,
  ...over,
});

describe('lambda-runtime-supported', () => {
  const params = (p: Record<string, unknown> = {}) => lambdaRuntimeSupported.parameters.parse(p);
  it('states its metadata: notify, no remediator, dates as data', () => {
    expect(lambdaRuntimeSupported).toMatchObject({ defaultMode: 'notify', pillar: 'security' });
    expect(lambdaRuntimeSupported.remediatorId).toBeUndefined();
    expect(LAMBDA_RUNTIMES['nodejs20.x']!.deprecation).toBe('2026-04-30');
  });

  it('violates for a deprecated runtime, and for one deprecated within warnDays', () => {
    const at = { asOf: '2026-12-04' };
    const past = lambdaRuntimeSupported.evaluate(fn({ runtime: 'nodejs20.x' }), params(at));
    expect(past.compliant === false && past.finding.message).toBe(
      'Lambda function resize runs nodejs20.x, which was deprecated on 2026-04-30.',
    );
    // nodejs22.x: 2027-04-30 is 147 days after 2026-12-04, inside the default 180.
    const soon = lambdaRuntimeSupported.evaluate(fn({ runtime: 'nodejs22.x' }), params(at));
    expect(soon.compliant === false && soon.finding.message).toBe(
      'Lambda function resize runs nodejs22.x, which is deprecated on 2027-04-30 (in 147 days).',
    );
    expect(
      lambdaRuntimeSupported.evaluate(
        fn({ runtime: 'nodejs22.x' }),
        params({ ...at, warnDays: 90 }),
      ),
    ).toEqual({ compliant: true });
  });

  it('a supported or newer runtime complies; a container image is not applicable', () => {
    const at = params({ asOf: '2026-12-04' });
    expect(lambdaRuntimeSupported.evaluate(fn(), at)).toEqual({ compliant: true });
    expect(lambdaRuntimeSupported.evaluate(fn({ runtime: 'nodejs26.x' }), at)).toEqual({
      compliant: true,
    });
    const image = fn({ packageType: 'Image' });
    delete image.runtime;
    expect(lambdaRuntimeSupported.evaluate(image, at).compliant).toBeNull();
  });

  it('refuses a bad asOf or warnDays, naming them', () => {
    expect(() => params({ asOf: '04/12/2026' })).toThrow(/YYYY-MM-DD/);
    expect(() => params({ warnDays: -1 })).toThrow();
  });
});

describe('lambda-tracing-active', () => {
  it('Active complies; PassThrough violates (notify)', () => {
    expect(lambdaTracingActive.defaultMode).toBe('notify');
    expect(lambdaTracingActive.evaluate(fn(), {})).toEqual({ compliant: true });
    const v = lambdaTracingActive.evaluate(fn({ tracingMode: 'PassThrough' }), {});
    expect(v.compliant === false && v.finding.message).toBe(
      'Lambda function resize has X-Ray tracing PassThrough, not Active.',
    );
  });
});

describe('lambda-arm64', () => {
  it('arm64 complies; x86_64 violates; a runtime that never ran on arm64 is not applicable', () => {
    expect(lambdaArm64).toMatchObject({ defaultMode: 'notify', pillar: 'cost-optimization' });
    expect(lambdaArm64.evaluate(fn(), {})).toEqual({ compliant: true });
    const v = lambdaArm64.evaluate(fn({ architectures: ['x86_64'] }), {});
    expect(v.compliant === false && v.finding.message).toBe(
      'Lambda function resize runs on x86_64, where arm64 costs less.',
    );
    expect(
      lambdaArm64.evaluate(fn({ architectures: ['x86_64'], runtime: 'go1.x' }), {}).compliant,
    ).toBeNull();
  });
});

describe('lambda-memory-above-minimum', () => {
  const params = (p: Record<string, unknown> = {}) => lambdaMemoryAboveMinimum.parameters.parse(p);
  it('the 128 MB default violates; 256 MB and more comply; the minimum is a parameter', () => {
    expect(lambdaMemoryAboveMinimum).toMatchObject({
      defaultMode: 'notify',
      pillar: 'performance-efficiency',
    });
    const v = lambdaMemoryAboveMinimum.evaluate(fn({ memorySizeMb: 128 }), params());
    expect(v.compliant === false && v.finding.message).toBe(
      'Lambda function resize has 128 MB, less than 256 MB: it gets a fraction of a vCPU.',
    );
    expect(lambdaMemoryAboveMinimum.evaluate(fn({ memorySizeMb: 256 }), params())).toEqual({
      compliant: true,
    });
    expect(
      lambdaMemoryAboveMinimum.evaluate(fn({ memorySizeMb: 512 }), params({ minimumMb: 1024 }))
        .compliant,
    ).toBe(false);
    expect(() => params({ minimumMb: 64 })).toThrow();
  });
});
