import { describe, expect, it } from 'vitest';
import { lambdaNotPublic } from '../../policies/lambda-not-public';
import {
  lambdaFunctionRef,
  LAMBDA_DEFAULTS,
  type LambdaFunctionSnapshot,
} from '../../src/resources/lambda-function';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:api';
const fn = (statements?: object[]): LambdaFunctionSnapshot => ({
  type: 'AWS::Lambda::Function',
  ref: lambdaFunctionRef('123456789012', 'eu-west-1', 'api'),
  functionName: 'api',
  functionArn: ARN,
  architectures: ['arm64'],
  tracingMode: LAMBDA_DEFAULTS.tracingMode,
  timeoutSeconds: 3,
  ...(statements
    ? {
        resourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Id: 'default',
          Statement: statements,
        }),
      }
    : {}),
});
// As GetPolicy returns the statements AddPermission writes.
const grant = (
  Sid: string,
  Principal: unknown,
  Condition?: object,
  Action = 'lambda:InvokeFunction',
) => ({
  Sid,
  Effect: 'Allow',
  Principal,
  Action,
  Resource: ARN,
  ...(Condition ? { Condition } : {}),
});
const verdict = (s: LambdaFunctionSnapshot) => lambdaNotPublic.evaluate(s, {});

describe('lambda-not-public', () => {
  it('states its metadata: approve, security, Lambda.1, its remediator', () => {
    expect(lambdaNotPublic).toMatchObject({
      defaultMode: 'approve',
      pillar: 'security',
      severity: 'critical',
      remediatorId: 'lambda-remove-public-permissions',
    });
    expect(lambdaNotPublic.controls).toContainEqual({ framework: 'aws-fsbp', id: 'Lambda.1' });
  });

  it('no policy, an account principal, or a grant to * held to a source complies', () => {
    expect(verdict(fn())).toEqual({ compliant: true });
    expect(
      verdict(
        fn([
          grant('acct', { AWS: 'arn:aws:iam::111122223333:root' }),
          grant(
            'bucket',
            { Service: 's3.amazonaws.com' },
            {
              ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' },
              StringEquals: { 'AWS:SourceAccount': '123456789012' },
            },
          ),
          grant('org', '*', { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } }),
        ]),
      ),
    ).toEqual({ compliant: true });
  });

  it('a grant to anyone violates, naming each open statement', () => {
    const v = verdict(
      fn([
        grant('anyone', '*'),
        grant('aws-star', { AWS: '*' }),
        grant('acct', { AWS: '111122223333' }),
      ]),
    );
    expect(v.compliant === false && v.finding.message).toBe(
      'Lambda function api can be invoked by anyone: statement anyone allows lambda:InvokeFunction to *; statement aws-star allows lambda:InvokeFunction to *.',
    );
    expect(v.compliant === false && v.finding.elements.map((e) => e.id)).toEqual([
      'anyone',
      'aws-star',
    ]);
  });

  it('attack: a condition that does not name the source does not hold the grant', () => {
    // Any caller can satisfy a condition on their own request's properties.
    const v = verdict(fn([grant('tls', '*', { Bool: { 'aws:SecureTransport': 'true' } })]));
    expect(v.compliant).toBe(false);
    // A Deny to * is not a grant.
    expect(verdict(fn([{ ...grant('deny', '*'), Effect: 'Deny' }]))).toEqual({ compliant: true });
  });

  it("a function URL's auth-NONE grant (documented shape) is left to lambda-function-url-auth", () => {
    const urlGrant = grant(
      'FunctionURLAllowPublicAccess',
      '*',
      { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
      'lambda:InvokeFunctionUrl',
    );
    expect(verdict(fn([urlGrant]))).toEqual({ compliant: true });
    // Without the condition it is a plain grant to anyone: judged here.
    const bare = grant('bare-url', '*', undefined, 'lambda:InvokeFunctionUrl');
    expect(verdict(fn([bare])).compliant).toBe(false);
  });

  it('an unreadable policy is an error, never compliant', () => {
    const broken = { ...fn(), resourcePolicy: '{' };
    expect(() => verdict(broken)).toThrow('resource policy of api: not valid JSON');
  });
});
