import { describe, expect, it } from 'vitest';
import { allowsEverything, iamNoAdminAccess } from '../../policies/iam-no-admin-access';
import { iamRef, type IamPrincipalSnapshot } from '../../src/resources/iam-principal';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const principal = (over: Partial<IamPrincipalSnapshot> = {}): IamPrincipalSnapshot => {
  const kind = over.kind ?? 'role';
  const name = over.name ?? 'deployer';
  const arn = `arn:aws:iam::123456789012:${kind}/${name}`;
  return {
    type: 'AWS::IAM::Principal',
    ref: iamRef(kind, '123456789012', name, arn),
    kind,
    name,
    arn,
    attachedPolicies: [],
    inlinePolicies: [],
    attachments: [],
    ...over,
  };
};
const doc = (statement: unknown) => ({ Version: '2012-10-17', Statement: statement });
const defaults = iamNoAdminAccess.parameters.parse({});

describe('iam-no-admin-access', () => {
  it('flags AdministratorAccess attached to a user, group or role', () => {
    for (const kind of ['user', 'group', 'role'] as const) {
      const verdict = iamNoAdminAccess.evaluate(
        principal({ kind, attachedPolicies: [{ arn: ADMIN, name: 'AdministratorAccess' }] }),
        defaults,
      );
      expect(verdict.compliant).toBe(false);
      if (verdict.compliant) continue;
      expect(verdict.finding.remedy).toEqual({
        detach: [
          {
            principal: {
              kind,
              name: 'deployer',
              arn: `arn:aws:iam::123456789012:${kind}/deployer`,
            },
            policyArn: ADMIN,
          },
        ],
        deleteInline: [],
      });
    }
  });

  it('distinguishes Action "*" (and ["*"]) from "iam:*", and requires Resource "*"', () => {
    expect(allowsEverything(doc({ Effect: 'Allow', Action: '*', Resource: '*' }))).toBe(true);
    expect(
      allowsEverything(doc([{ Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: ['*'] }])),
    ).toBe(true);
    expect(allowsEverything(doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }))).toBe(false);
    expect(
      allowsEverything(doc({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::bucket/*' })),
    ).toBe(false);
    expect(allowsEverything(doc({ Effect: 'Deny', Action: '*', Resource: '*' }))).toBe(false);
    expect(allowsEverything('not a document')).toBe(false);
  });

  it('flags an inline * on * policy and a customer-managed one, but not a scoped one', () => {
    const verdict = iamNoAdminAccess.evaluate(
      principal({
        inlinePolicies: [
          { name: 'god-mode', document: doc({ Effect: 'Allow', Action: ['*'], Resource: '*' }) },
          { name: 'iam-admin', document: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) },
        ],
        attachedPolicies: [
          {
            arn: 'arn:aws:iam::123456789012:policy/everything',
            name: 'everything',
            document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
          },
          { arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess' },
        ],
      }),
      defaults,
    );
    expect(verdict.compliant).toBe(false);
    if (verdict.compliant) return;
    expect(verdict.finding.elements.map((e) => e.kind + ':' + e.id)).toEqual([
      'managed-policy-attachment:role/deployer|arn:aws:iam::123456789012:policy/everything',
      'inline-policy:role/deployer|god-mode',
    ]);
  });

  it('accepts a principal with scoped permissions only', () => {
    expect(
      iamNoAdminAccess.evaluate(
        principal({
          attachedPolicies: [
            { arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess' },
          ],
        }),
        defaults,
      ).compliant,
    ).toBe(true);
  });

  it('lets allowed break-glass principals keep admin access, by ARN or kind/name', () => {
    const admin = principal({
      name: 'break-glass',
      attachedPolicies: [{ arn: ADMIN, name: 'AdministratorAccess' }],
    });
    expect(
      iamNoAdminAccess.evaluate(
        admin,
        iamNoAdminAccess.parameters.parse({ allowedPrincipals: ['role/break-glass'] }),
      ).compliant,
    ).toBe(true);
    expect(
      iamNoAdminAccess.evaluate(
        admin,
        iamNoAdminAccess.parameters.parse({
          allowedPrincipals: ['arn:aws:iam::123456789012:role/break-glass'],
        }),
      ).compliant,
    ).toBe(true);
    expect(
      iamNoAdminAccess.evaluate(
        admin,
        iamNoAdminAccess.parameters.parse({ allowedPrincipals: ['user/break-glass'] }),
      ).compliant,
    ).toBe(false);
    expect(() => iamNoAdminAccess.parameters.parse({ allowedPrincipals: ['break-glass'] })).toThrow(
      /user\/<name>/,
    );
  });

  it('judges a new default policy version on every entity it is attached to, except break-glass', () => {
    const policy = principal({
      kind: 'policy',
      name: 'deploy',
      arn: 'arn:aws:iam::123456789012:policy/deploy',
      attachedPolicies: [
        {
          arn: 'arn:aws:iam::123456789012:policy/deploy',
          name: 'deploy',
          document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
        },
      ],
      attachments: [
        { kind: 'user', name: 'alice' },
        { kind: 'role', name: 'break-glass' },
      ],
    });
    const verdict = iamNoAdminAccess.evaluate(
      policy,
      iamNoAdminAccess.parameters.parse({ allowedPrincipals: ['role/break-glass'] }),
    );
    expect(verdict.compliant).toBe(false);
    if (verdict.compliant) return;
    expect(verdict.finding.elements.map((e) => e.id)).toEqual([
      'user/alice|arn:aws:iam::123456789012:policy/deploy',
    ]);
  });

  it('defaults to approve (a Slack approval before the revert)', () => {
    expect(iamNoAdminAccess.defaultMode).toBe('approve');
  });
});
