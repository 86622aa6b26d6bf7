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
      if (verdict.compliant !== false) continue;
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
    if (verdict.compliant !== false) return;
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
    if (verdict.compliant !== false) return;
    expect(verdict.finding.elements.map((e) => e.id)).toEqual([
      'user/alice|arn:aws:iam::123456789012:policy/deploy',
    ]);
  });

  it('defaults to approve (a Slack approval before the revert)', () => {
    expect(iamNoAdminAccess.defaultMode).toBe('approve');
  });

  describe('admin roles AWS provisions: reported, never reverted, matched exactly', () => {
    const role = (name: string, path = '/', account = '123456789012') =>
      principal({
        kind: 'role',
        name,
        arn: `arn:aws:iam::${account}:role${path}${name}`,
        attachedPolicies: [{ arn: ADMIN, name: 'AdministratorAccess' }],
      });
    const provisioned: [string, IamPrincipalSnapshot][] = [
      ['organization-account-access', role('OrganizationAccountAccessRole')],
      [
        'identity-center',
        role(
          'AWSReservedSSO_AdministratorAccess_0123456789abcdef',
          '/aws-reserved/sso.amazonaws.com/',
        ),
      ],
      [
        'identity-center',
        role('AWSReservedSSO_Admin_0123456789abcdef', '/aws-reserved/sso.amazonaws.com/eu-west-1/'),
      ],
      ['control-tower', role('AWSControlTowerExecution')],
      ['stacksets-execution', role('AWSCloudFormationStackSetExecutionRole')],
      ['cdk-bootstrap', role('cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-1')],
      [
        'service-linked',
        role('AWSServiceRoleForSupport', '/aws-service-role/support.amazonaws.com/'),
      ],
    ];
    it('reports each as a violation with nothing to revert, naming the reason', () => {
      for (const [id, snapshot] of provisioned) {
        const verdict = iamNoAdminAccess.evaluate(snapshot, defaults);
        expect(verdict.compliant, snapshot.arn).toBe(false);
        if (verdict.compliant !== false) continue;
        expect(verdict.finding.remedy, snapshot.arn).toEqual({ detach: [], deleteInline: [] });
        expect(verdict.finding.reportOnly, snapshot.arn).toContain(`(${id})`);
      }
    });

    it('look-alikes are reverted: other paths, suffixes, another account, another qualifier', () => {
      const lookAlikes = [
        role('OrganizationAccountAccessRole-dev'),
        role('OrganizationAccountAccessRole', '/custom/'),
        role('AWSReservedSSO_AdministratorAccess_0123456789abcdef'),
        role('AWSReservedSSO_AdministratorAccess_0123456789abcdef', '/aws-reserved/evil/'),
        role('AWSReservedSSO_Admin', '/aws-reserved/sso.amazonaws.com/'),
        role('AWSControlTowerExecution2'),
        role('cdk-hnb659fds-cfn-exec-role-999999999999-eu-west-1'),
        role('cdk-evilqualf-cfn-exec-role-123456789012-eu-west-1'),
        role('cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-1-extra'),
        role('AWSServiceRoleForSupport'),
        role('AWSServiceRoleForSupport', '/aws-service-role/'),
      ];
      for (const snapshot of lookAlikes) {
        const verdict = iamNoAdminAccess.evaluate(snapshot, defaults);
        expect(verdict.compliant).toBe(false);
        if (verdict.compliant !== false) continue;
        expect(verdict.finding.reportOnly, snapshot.arn).toBeUndefined();
        expect((verdict.finding.remedy as { detach: unknown[] }).detach, snapshot.arn).toHaveLength(
          1,
        );
      }
      // A user named like the role is no role.
      const user = principal({
        kind: 'user',
        name: 'OrganizationAccountAccessRole',
        attachedPolicies: [{ arn: ADMIN, name: 'AdministratorAccess' }],
      });
      const verdict = iamNoAdminAccess.evaluate(user, defaults);
      expect(verdict.compliant === false && verdict.finding.reportOnly).toBeUndefined();
    });

    it('an id removed from awsProvisionedRoles is reverted; exemptRoles adds exact name and path', () => {
      const params = iamNoAdminAccess.parameters.parse({
        awsProvisionedRoles: ['identity-center'],
        exemptRoles: [
          { name: 'platform-admin', path: '/ops/', reason: 'Platform on-call (SEC-42)' },
        ],
      });
      const org = iamNoAdminAccess.evaluate(role('OrganizationAccountAccessRole'), params);
      expect(org.compliant === false && org.finding.reportOnly).toBeUndefined();
      const ops = iamNoAdminAccess.evaluate(role('platform-admin', '/ops/'), params);
      expect(ops.compliant === false && ops.finding.reportOnly).toMatch(/exemptRoles.*SEC-42/);
      const elsewhere = iamNoAdminAccess.evaluate(role('platform-admin'), params);
      expect(elsewhere.compliant === false && elsewhere.finding.reportOnly).toBeUndefined();
    });

    it('a policy attached to an SSO role and to a plain role: only the plain role is in the remedy', () => {
      const sso =
        'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_0123456789abcdef';
      const snapshot = principal({
        kind: 'policy',
        name: 'everything',
        arn: 'arn:aws:iam::123456789012:policy/everything',
        attachedPolicies: [
          {
            arn: 'arn:aws:iam::123456789012:policy/everything',
            name: 'everything',
            document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
          },
        ],
        attachments: [
          { kind: 'role', name: 'AWSReservedSSO_Ops_0123456789abcdef', arn: sso },
          { kind: 'role', name: 'deployer', arn: 'arn:aws:iam::123456789012:role/deployer' },
        ],
      });
      const verdict = iamNoAdminAccess.evaluate(snapshot, defaults);
      expect(verdict.compliant).toBe(false);
      if (verdict.compliant !== false) return;
      expect(verdict.finding.reportOnly).toBeUndefined();
      expect(
        (verdict.finding.remedy as { detach: { principal: { name: string } }[] }).detach.map(
          (d) => d.principal.name,
        ),
      ).toEqual(['deployer']);
      expect(verdict.finding.elements.map((e) => e.description).join('\n')).toMatch(
        /AWSReservedSSO_Ops_0123456789abcdef \(reported only/,
      );
    });
  });
});
