import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { deploymentInputFromText } from '../../infra/config';
import { buildRampart } from '../../infra/rampart-app';
import { defaultCatalog } from '../../src/catalog';
import { CONFIG_INPUT_READ_ACTIONS } from '../../src/engine/sources/config-item';

const catalog = defaultCatalog();
const WITH_RULES = `
policies:
  rds-encrypted:
    enabled: false
deployment:
  centralRegion: eu-west-1
  configRules: true
`;

function synth(text: string) {
  const app = new App();
  const input = deploymentInputFromText(text, catalog, 'test');
  const stacks = buildRampart(app, catalog, input);
  return { app, config: input.config, central: Template.fromStack(stacks.central) };
}

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};
const actionsOf = (s: Statement) => [s.Action].flat();

function statementsOfRole(template: Template, rolePrefix: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(rolePrefix))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

describe('the CDK app deploys AWS Config custom rules (deployment.configRules)', () => {
  const { app, config, central } = synth(WITH_RULES);
  const rules = Object.values(central.findResources('AWS::Config::ConfigRule'));

  it('deploys none by default', () => {
    const { central: plain } = synth('deployment:\n  centralRegion: eu-west-1\n');
    expect(plain.findResources('AWS::Config::ConfigRule')).toEqual({});
  });

  it('deploys one rule per enabled policy of a type Config records, scoped to its Config types', () => {
    // Independently of the code under test: the enabled policies whose type names Config types.
    const expected = [...catalog.policies.values()]
      .filter((p) => config.policies[p.id]?.enabled)
      .map((p) => ({ p, types: catalog.resourceTypes.get(p.resourceType)!.configResourceTypes }))
      .filter(({ types }) => types.length > 0);
    expect(expected.map(({ p }) => p.id)).not.toContain('rds-encrypted');
    expect(expected.length).toBeGreaterThan(3);
    expect(
      rules
        .map((r) => [r.Properties.ConfigRuleName, r.Properties.Scope.ComplianceResourceTypes])
        .sort(),
    ).toEqual(expected.map(({ p, types }) => [`rampart-${p.id}`, [...types]]).sort());
  });

  it('triggers each rule on item changes, oversized items and every 24 hours, through the rule function', () => {
    for (const rule of rules) {
      const source = rule.Properties.Source;
      expect(source.Owner).toBe('CUSTOM_LAMBDA');
      expect(source.SourceIdentifier).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^ConfigRulesFunction/), 'Arn'],
      });
      expect(source.SourceDetails).toEqual(
        expect.arrayContaining([
          { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
          {
            EventSource: 'aws.config',
            MessageType: 'OversizedConfigurationItemChangeNotification',
          },
          {
            EventSource: 'aws.config',
            MessageType: 'ScheduledNotification',
            MaximumExecutionFrequency: 'TwentyFour_Hours',
          },
        ]),
      );
    }
    const permissions = Object.values(central.findResources('AWS::Lambda::Permission')).filter(
      (p) => p.Properties.Principal === 'config.amazonaws.com',
    );
    expect(permissions.length).toBeGreaterThan(0);
    for (const p of permissions) {
      expect(p.Properties.Action).toBe('lambda:InvokeFunction');
      expect(p.Properties.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
    }
    const fn = Object.values(central.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.FunctionName === 'rampart-config-rules',
    )!;
    // Asynchronous invocations that keep failing are kept in the shared DLQ.
    expect(fn.Properties.DeadLetterConfig).toEqual({
      TargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^DeadLetterQueue/), 'Arn'] },
    });
  });

  it("grants the function reads of its policies' state and PutEvaluations in its region, and no other write", () => {
    const statements = statementsOfRole(central, 'ConfigRulesRole');
    const actions = new Set(statements.filter((s) => s.Effect === 'Allow').flatMap(actionsOf));
    const declaredReads = new Set<string>(CONFIG_INPUT_READ_ACTIONS);
    for (const rule of rules) {
      const policy = catalog.policies.get(rule.Properties.ConfigRuleName.replace(/^rampart-/, ''))!;
      catalog.resourceTypes
        .get(policy.resourceType)!
        .readActions.forEach((a) => declaredReads.add(a));
    }
    for (const a of declaredReads) expect(actions, a).toContain(a);
    const isRead = (a: string) => /^[a-z0-9-]+:(Get|List|Describe|BatchGet)/.test(a);
    const nonReads = [...actions].filter((a) => !isRead(a)).sort();
    expect(nonReads).toEqual([
      'config:PutEvaluations',
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sqs:SendMessage',
    ]);
    // No remediator's write, and nothing written on `*` but PutEvaluations, held to the region.
    const onStar = statements.filter(
      (s) => s.Effect === 'Allow' && JSON.stringify(s.Resource) === '"*"',
    );
    for (const s of onStar) {
      const writes = actionsOf(s).filter((a) => !isRead(a));
      if (writes.length === 0) continue;
      expect(writes).toEqual(['config:PutEvaluations']);
      expect(s.Condition).toEqual({
        StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } },
      });
    }
    expect(onStar.some((s) => actionsOf(s).includes('config:PutEvaluations'))).toBe(true);
  });

  it("keeps the rule function's role out of the evaluator's reach, and passes cdk-nag", () => {
    // CDK may move it into an overflow managed policy of the role: either way, attached.
    const fence = [
      ...Object.values(central.findResources('AWS::IAM::Policy')),
      ...Object.values(central.findResources('AWS::IAM::ManagedPolicy')),
    ]
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .find((s) => s.Sid === 'NeverChangeRampartRoles')!;
    expect(JSON.stringify(fence.Resource)).toMatch(/ConfigRulesRole/);
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(
      report.violations.map((v) => `${v.ruleName}: ${JSON.stringify(v)}`.slice(0, 400)),
    ).toEqual([]);
  });
});
