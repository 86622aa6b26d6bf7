import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { deploymentInputFromText } from '../../infra/config';
import { InfraError } from '../../infra/errors';
import { evaluatorActions, evaluatorGrants } from '../../infra/permissions';
import { parseConfig } from '../../src/config';
import { buildRampart } from '../../infra/rampart-app';
import { defaultCatalog } from '../../src/catalog';

/**
 * The synthesized templates, read as an attacker would read Rampart's permissions: no write
 * on `*`, no IAM write that could reach Rampart's own roles, KMS grants only for AWS
 * resources, sts:AssumeRole only inside the organization or a listed set of accounts, and
 * every CloudTrail rule pinned to AWS's own sources. Checked over several deployments.
 */
const catalog = defaultCatalog();

const DEPLOYMENTS: Record<string, string> = {
  organization: `
deployment:
  organizationId: o-abcdefghij
  targets: { organizationalUnits: [ou-abcd-12345678] }
  slack: { enabled: true }
slack: { channel: C0123456789, approvers: { users: [U0123ABC] } }
`,
  'listed accounts': `
deployment:
  centralAccount: "111111111111"
  targets: { accounts: ["222222222222", "333333333333"] }
compliance:
  sweep: { accounts: ["444444444444"] }
`,
  'single account': '',
};

function templates(text: string) {
  const app = new App();
  const stacks = buildRampart(app, catalog, deploymentInputFromText(text, catalog, 'test'));
  const json = (t: Template) => t.toJSON() as { Resources: Record<string, Resource> };
  return {
    central: json(Template.fromStack(stacks.central)),
    memberRole: json(Template.fromStack(stacks.memberRole)),
    memberEvents: json(Template.fromStack(stacks.memberEvents)),
  };
}

type Statement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
};
type Resource = { Type: string; Properties: Record<string, unknown> };

const list = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** The managed policies the template's roles use as permissions boundaries. */
function boundaryIds(template: { Resources: Record<string, Resource> }): Set<string> {
  return new Set(
    Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Role' && r.Properties.PermissionsBoundary)
      .map((r) => (r.Properties.PermissionsBoundary as { Ref: string }).Ref),
  );
}

/**
 * Identity policies (inline and managed) with the roles they end up on. Permissions
 * boundaries are not: they grant nothing (tested on their own below).
 */
function identityStatements(template: { Resources: Record<string, Resource> }) {
  const out: { id: string; statement: Statement }[] = [];
  const boundaries = boundaryIds(template);
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') continue;
    if (boundaries.has(id)) continue;
    const doc = r.Properties.PolicyDocument as { Statement: Statement[] };
    for (const statement of doc.Statement) out.push({ id, statement });
  }
  return out;
}

/** Written here, not derived from the code: verbs that only read. */
const READ_VERB = /^[a-z0-9-]+:(Describe|List|Get|BatchGet|Query|Scan|Select|Lookup|Search)/;
/** IAM writes that change what a principal may do. */
const IAM_PERMISSION_WRITES = [
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
  'iam:DetachRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:DeleteRolePermissionsBoundary',
  'iam:PutRolePermissionsBoundary',
  'iam:UpdateAssumeRolePolicy',
];

const text = (v: unknown) => JSON.stringify(v);

for (const [name, config] of Object.entries(DEPLOYMENTS)) {
  describe(`synthesized IAM, ${name} deployment`, () => {
    const all = templates(config);
    const stacks = Object.values(all);

    it('grants no write on Resource "*" and no wildcard action', () => {
      for (const template of stacks) {
        for (const { id, statement } of identityStatements(template)) {
          const actions = list(statement.Action);
          for (const action of actions) expect(action, id).not.toContain('*');
          if (statement.Effect !== 'Allow' || !list(statement.Resource).includes('*')) continue;
          const writes = actions.filter((a) => !READ_VERB.test(a));
          expect(writes, `${id} ${statement.Sid ?? ''}`).toEqual([]);
        }
      }
    });

    it('every role that may write IAM has a permissions boundary and a Deny on Rampart’s own roles', () => {
      for (const template of [all.central, all.memberRole]) {
        const roles = Object.entries(template.Resources).filter(
          ([, r]) => r.Type === 'AWS::IAM::Role',
        );
        // CDK moves statements past the inline size into managed "overflow" policies.
        const policies = Object.values(template.Resources).filter(
          (r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy',
        );
        for (const [roleId, role] of roles) {
          const attached = policies.filter((p) => text(p.Properties.Roles ?? []).includes(roleId));
          const statements = attached.flatMap(
            (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
          );
          const iamWrites = statements
            .filter((s) => s.Effect === 'Allow')
            .flatMap((s) => list(s.Action))
            .filter((a) => a.startsWith('iam:') && a !== 'iam:PassRole' && !READ_VERB.test(a));
          if (iamWrites.length === 0) continue;
          expect(role.Properties.PermissionsBoundary, roleId).toBeDefined();
          const ownName = roleId.startsWith('EvaluatorRole')
            ? 'RampartEvaluatorRole'
            : 'RampartRemediationRole';
          const deny = statements.find(
            (s) =>
              s.Effect === 'Deny' &&
              IAM_PERMISSION_WRITES.every((a) => list(s.Action).includes(a)) &&
              text(s.Resource).includes(`:role/${ownName}`),
          );
          expect(deny, `${roleId} denies IAM writes on ${ownName}`).toBeDefined();
          // The boundary carries the same Deny, so detaching a policy cannot lift it.
          const boundaryId = (role.Properties.PermissionsBoundary as { Ref: string }).Ref;
          const boundary = template.Resources[boundaryId]!;
          expect(text(boundary.Properties.PolicyDocument), roleId).toContain(
            'NeverChangeRampartRoles',
          );
        }
      }
    });

    it('lets kms:CreateGrant create grants only for AWS resources, through DynamoDB', () => {
      const grants = stacks
        .flatMap(identityStatements)
        .filter(({ statement }) => list(statement.Action).includes('kms:CreateGrant'));
      for (const { id, statement } of grants) {
        if (statement.Effect === 'Deny') continue;
        expect(statement.Condition?.Bool?.['kms:GrantIsForAWSResource'], id).toBe('true');
        expect(statement.Condition?.StringLike?.['kms:ViaService'], id).toBe(
          'dynamodb.*.amazonaws.com',
        );
        expect(list(statement.Action), id).toEqual(['kms:CreateGrant']);
      }
    });

    it('assumes member roles only inside the organization or in the listed accounts', () => {
      const assumes = identityStatements(all.central).filter(
        ({ statement }) =>
          statement.Effect === 'Allow' && list(statement.Action).includes('sts:AssumeRole'),
      );
      if (name === 'single account') expect(assumes).toEqual([]);
      for (const { statement } of assumes) {
        const resources = text(statement.Resource);
        if (name === 'organization') {
          expect(statement.Condition?.StringEquals?.['aws:ResourceOrgID']).toBe('o-abcdefghij');
        } else {
          expect(resources).not.toContain('iam::*:');
          for (const account of ['222222222222', '333333333333', '444444444444']) {
            expect(resources).toContain(`:iam::${account}:role/RampartRemediationRole`);
          }
        }
      }
      // In the role's policy (its boundary lists actions only, and grants nothing).
      if (name !== 'single account') expect(assumes).toHaveLength(1);
    });

    it("every boundary allows exactly its role's own actions and carries both fence Denies", () => {
      for (const template of [all.central, all.memberRole]) {
        const boundaries = boundaryIds(template);
        for (const [roleId, role] of Object.entries(template.Resources)) {
          if (role.Type !== 'AWS::IAM::Role' || !role.Properties.PermissionsBoundary) continue;
          const boundaryId = (role.Properties.PermissionsBoundary as { Ref: string }).Ref;
          const own = Object.entries(template.Resources)
            .filter(([id]) => !boundaries.has(id))
            .filter(([, p]) => /^AWS::IAM::(Managed)?Policy$/.test(p.Type))
            .filter(([, p]) => text(p.Properties.Roles ?? []).includes(roleId))
            .flatMap(
              ([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
            );
          const ownActions = [
            ...new Set(own.filter((x) => x.Effect === 'Allow').flatMap((x) => list(x.Action))),
          ].sort();
          const statements = (
            template.Resources[boundaryId]!.Properties.PolicyDocument as { Statement: Statement[] }
          ).Statement;
          const allows = statements.filter((x) => x.Effect === 'Allow');
          expect(allows, roleId).toHaveLength(1);
          expect(list(allows[0]!.Action), roleId).toEqual(ownActions);
          expect(
            statements.filter((x) => x.Effect === 'Deny').map((x) => x.Sid),
            roleId,
          ).toEqual(['NeverChangeRampartRoles', 'NeverChangeRampartBoundary']);
        }
      }
    });

    it("fits IAM's size limits: 6,144 characters a managed policy, 10,240 a role's inline policies", () => {
      // Estimated as IAM counts (no whitespace), pseudo parameters and references replaced by
      // values at least as long as real ones.
      const resolve = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(resolve);
        if (v && typeof v === 'object') {
          const o = v as Record<string, unknown>;
          if ('Fn::Join' in o) {
            const [d, parts] = o['Fn::Join'] as [string, unknown[]];
            return parts.map(resolve).join(d);
          }
          if ('Ref' in o) {
            const pseudo: Record<string, string> = {
              'AWS::Partition': 'aws-us-gov',
              'AWS::AccountId': '111111111111',
              'AWS::Region': 'ap-southeast-5',
              'AWS::URLSuffix': 'amazonaws.com',
            };
            return pseudo[o.Ref as string] ?? 'x'.repeat(64);
          }
          if ('Fn::GetAtt' in o)
            return `arn:aws-us-gov:service:ap-southeast-5:111111111111:${'x'.repeat(64)}`;
          return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
        }
        return v;
      };
      const size = (doc: unknown) => JSON.stringify(resolve(doc)).length;
      for (const template of [all.central, all.memberRole, all.memberEvents]) {
        const inline = new Map<string, number>();
        for (const [id, r] of Object.entries(template.Resources)) {
          if (r.Type === 'AWS::IAM::ManagedPolicy') {
            expect(size(r.Properties.PolicyDocument), id).toBeLessThanOrEqual(6_144);
          }
          if (r.Type !== 'AWS::IAM::Policy') continue;
          for (const roleRef of list(r.Properties.Roles as { Ref: string }[])) {
            inline.set(
              roleRef.Ref,
              (inline.get(roleRef.Ref) ?? 0) + size(r.Properties.PolicyDocument),
            );
          }
        }
        for (const [roleId, total] of inline) expect(total, roleId).toBeLessThanOrEqual(10_240);
      }
    });

    it('member role: trusted by the central evaluator role alone, under Rampart’s session names', () => {
      const [role] = Object.values(all.memberRole.Resources).filter(
        (r) => r.Type === 'AWS::IAM::Role',
      );
      const [trust] = (role!.Properties.AssumeRolePolicyDocument as { Statement: Statement[] })
        .Statement;
      expect(text(trust!.Principal)).toContain(':role/RampartEvaluatorRole');
      expect(text(trust!.Principal)).not.toContain(':root');
      expect(trust!.Condition?.StringEquals?.['sts:RoleSessionName']).toEqual([
        'rampart-evaluator',
        'rampart-sweep',
      ]);
      expect(trust!.Condition?.StringEquals?.['aws:PrincipalOrgID']).toBe(
        name === 'organization' ? 'o-abcdefghij' : undefined,
      );
    });

    it('pins every CloudTrail rule to AWS’s own aws.<service> source', () => {
      let rules = 0;
      for (const template of [all.central, all.memberEvents]) {
        for (const r of Object.values(template.Resources)) {
          const pattern = r.Properties?.EventPattern as Record<string, unknown> | undefined;
          if (r.Type !== 'AWS::Events::Rule' || !pattern) continue;
          rules++;
          const sources = list(pattern.source as string[]);
          expect(sources.length, text(pattern)).toBeGreaterThan(0);
          for (const source of sources) expect(source).toMatch(/^aws\.[a-z0-9-]+$/);
          if (list(pattern['detail-type'] as string[]).includes('AWS API Call via CloudTrail')) {
            const eventSource = (pattern.detail as { eventSource: string[] }).eventSource[0]!;
            expect(sources).toEqual([`aws.${eventSource.split('.')[0]}`]);
          }
        }
      }
      expect(rules).toBeGreaterThan(4);
    });
  });
}

describe('deployments that would reach other accounts unfenced', () => {
  it('refuses member OUs without deployment.organizationId, naming the setting', () => {
    expect(() =>
      templates(`
deployment:
  targets: { organizationalUnits: [ou-abcd-12345678] }
`),
    ).toThrow(InfraError);
    expect(() =>
      templates(`
deployment:
  targets: { organizationalUnits: [ou-abcd-12345678] }
`),
    ).toThrow(/deployment\.organizationId/);
  });
});

describe('write scopes', () => {
  it('a write of a service with no declared scope is an error, never a grant on "*"', () => {
    expect(() =>
      evaluatorGrants(
        { read: [], write: ['cloudtrail:StartLogging'], conditions: {}, scopes: {} },
        { partition: 'aws', account: '123456789012' },
      ),
    ).toThrow(/cloudtrail:StartLogging\) have no resource scope/);
  });

  it('attack: a write on ARNs that name no account (S3 buckets) is held to the account by condition', () => {
    const actions = evaluatorActions(catalog, parseConfig({}, catalog));
    const grants = evaluatorGrants(actions, { partition: 'aws', account: '111122223333' });
    const accountless = grants.filter(
      (g) => g.effect !== 'Deny' && g.resources.some((r) => /^arn:aws:[a-z0-9-]+:[^:]*::/.test(r)),
    );
    // IAM's own ARNs name the account after the empty region; S3's name neither.
    const s3 = accountless.filter((g) => g.resources.some((r) => r.startsWith('arn:aws:s3:::')));
    expect(s3.map((g) => g.actions)).toEqual([
      ['s3:PutBucketPolicy', 's3:PutBucketPublicAccessBlock'],
    ]);
    expect(s3[0]!.conditions).toEqual({ StringEquals: { 's3:ResourceAccount': '111122223333' } });
  });

  it('a policy that reads failure senders is granted the listing of every sender type, read-only', () => {
    const onlyQueues = Object.fromEntries(
      [...catalog.policies.keys()].map((id) => [
        id,
        id === 'sqs-has-dlq' ? {} : { enabled: false },
      ]),
    );
    const actions = evaluatorActions(catalog, parseConfig({ policies: onlyQueues }, catalog));
    expect(actions.read).toEqual(
      expect.arrayContaining([
        'lambda:ListFunctions',
        'lambda:GetFunctionEventInvokeConfig',
        'sns:ListSubscriptions',
        'sns:GetSubscriptionAttributes',
        'events:ListEventBuses',
        'events:ListRules',
        'events:ListTargetsByRule',
      ]),
    );
    expect(actions.write.every((a) => a.startsWith('sqs:'))).toBe(true);
  });

  it("Security Hub, when enabled, is granted its two writes on the account's own product and hub only", () => {
    const off = evaluatorActions(catalog, parseConfig({}, catalog));
    expect(off.write.filter((a) => a.startsWith('securityhub:'))).toEqual([]);
    const on = evaluatorActions(catalog, parseConfig({ securityHub: { enabled: true } }, catalog));
    const grants = evaluatorGrants(on, { partition: 'aws', account: '111122223333' });
    const hub = grants.filter((g) => g.actions.some((a) => a.startsWith('securityhub:')));
    expect(hub).toHaveLength(1);
    expect(hub[0]!.actions).toEqual([
      'securityhub:BatchImportFindings',
      'securityhub:BatchUpdateFindings',
    ]);
    expect(hub[0]!.resources).toEqual([
      'arn:aws:securityhub:*:111122223333:product/111122223333/default',
      'arn:aws:securityhub:*:111122223333:hub/default',
    ]);
  });

  it('every shipped remediator writes only services with a declared scope', () => {
    for (const remediator of catalog.remediators.values()) {
      for (const action of remediator.iamActions.write) {
        expect([...catalog.writeScopes.keys()], `${remediator.id} ${action}`).toContain(
          action.split(':')[0],
        );
      }
    }
  });
});
