import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { deploymentInputFromText } from '../../infra/config';
import { buildRampart } from '../../infra/rampart-app';
import { defaultCatalog } from '../../src/catalog';

const catalog = defaultCatalog();
const PROD = 'ou-ab12-prod0001';
const SANDBOX = 'ou-ab12-sandbox01';
const ORG_CONFIG = `
organization:
  organizationalUnits: [${PROD}]
  exclude:
    accounts: ['111111111111']
    organizationalUnits: [${SANDBOX}]
  gracePeriodDays: 7
deployment:
  centralAccount: '222222222222'
  centralRegion: eu-west-1
  organizationId: o-abcdefghij
  regions: [eu-west-1, eu-central-1]
`;

/** The StackSet properties this test reads (CloudFormation's names). */
interface StackSetProperties {
  StackInstancesGroup: { DeploymentTargets: unknown; Regions: string[] }[];
  Parameters: unknown[];
  TemplateBody: string;
}

const build = (text: string) => {
  const app = new App();
  return buildRampart(app, catalog, deploymentInputFromText(text, catalog, 'test'));
};

describe('onboarding an organization: the member stacks as service-managed StackSets', () => {
  it('without organization: no StackSets stack (member stacks are deployed by hand)', () => {
    expect(build('{}').organization).toBeUndefined();
  });

  it('deploys to the covered OUs with automatic deployment, leaving the excluded accounts out', () => {
    const stacks = build(ORG_CONFIG);
    const template = Template.fromStack(stacks.organization!);
    const sets = template.findResources('AWS::CloudFormation::StackSet');
    const byName = Object.fromEntries(
      Object.values(sets).map((s) => [
        s.Properties.StackSetName as string,
        s.Properties as StackSetProperties,
      ]),
    );
    expect(Object.keys(byName).sort()).toEqual(['RampartMemberEvents', 'RampartMemberRole']);
    for (const set of Object.values(byName)) {
      expect(set).toMatchObject({
        PermissionModel: 'SERVICE_MANAGED',
        CallAs: 'SELF',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      });
      expect(set.StackInstancesGroup[0]!.DeploymentTargets).toEqual({
        OrganizationalUnitIds: [PROD],
        Accounts: ['111111111111'],
        AccountFilterType: 'DIFFERENCE',
      });
      expect(set.Parameters).toEqual(
        expect.arrayContaining([
          { ParameterKey: 'CentralAccountId', ParameterValue: '222222222222' },
        ]),
      );
    }
    // IAM is global: the role in one region; the forwarding in every watched region.
    expect(byName.RampartMemberRole!.StackInstancesGroup[0]!.Regions).toEqual(['eu-west-1']);
    expect(byName.RampartMemberEvents!.StackInstancesGroup[0]!.Regions).toEqual([
      'eu-west-1',
      'eu-central-1',
    ]);
    // The templates are the member stacks themselves: the remediation role and the forwarders.
    const role = JSON.parse(byName.RampartMemberRole!.TemplateBody as string);
    expect(
      Object.values(
        role.Resources as Record<string, { Type: string; Properties: { RoleName?: string } }>,
      )
        .filter((r) => r.Type === 'AWS::IAM::Role')
        .map((r) => r.Properties.RoleName),
    ).toEqual(['RampartRemediationRole']);
    const events = JSON.parse(byName.RampartMemberEvents!.TemplateBody as string);
    expect(
      Object.values(events.Resources as Record<string, { Type: string }>).filter(
        (r) => r.Type === 'AWS::Events::Rule',
      ).length,
    ).toBeGreaterThan(5);
  });

  it('the central stack may read the organization tree: list and describe only, on its own organization', () => {
    const stacks = build(ORG_CONFIG);
    const policies = Template.fromStack(stacks.central).findResources('AWS::IAM::Policy');
    const statement = Object.values(policies)
      .flatMap(
        (p) =>
          p.Properties.PolicyDocument.Statement as {
            Sid?: string;
            Action: string[];
            Resource: unknown;
          }[],
      )
      .find((s) => s.Sid === 'ReadOrganizationTree');
    expect(statement?.Action.sort()).toEqual([
      'organizations:DescribeAccount',
      'organizations:ListAccountsForParent',
      'organizations:ListChildren',
      'organizations:ListParents',
    ]);
    // Only this organization's accounts, OUs and root; nothing on `*`.
    expect(statement?.Resource).toEqual(
      ['account', 'ou', 'root'].map((kind) => ({
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, `:organizations::*:${kind}/o-abcdefghij/*`],
        ],
      })),
    );
  });

  it('refuses an organization without the organization id: member roles would trust the evaluator from anywhere', () => {
    expect(() => build(ORG_CONFIG.replace('  organizationId: o-abcdefghij\n', ''))).toThrow(
      /organization: covers the accounts of OUs, but deployment\.organizationId is not set/,
    );
  });

  it('refuses an organization without the central account, naming the setting', () => {
    expect(() => build(ORG_CONFIG.replace("  centralAccount: '222222222222'\n", ''))).toThrow(
      /deployment\.centralAccount is required with organization:/,
    );
  });
});
