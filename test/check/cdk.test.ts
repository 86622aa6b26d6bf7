import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnSecurityGroup } from 'aws-cdk-lib/aws-ec2';
import type { IPolicyValidationContext } from 'aws-cdk-lib';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTemplates } from '../../src/check';
import { RampartChecks } from '../../src/check/cdk';
import { loadTemplates } from '../../src/cloudformation/template';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';

const config = parseConfig({}, defaultCatalog());

function appWith(build: (stack: Stack) => void) {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'rampart-cdk-')) });
  build(new Stack(app, 'Web'));
  return app;
}

function openPort(stack: Stack, id: string, cidr = '0.0.0.0/0', port = 22) {
  return new CfnSecurityGroup(stack, id, {
    groupDescription: id,
    securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIp: cidr }],
  });
}
const openSsh = (stack: Stack, id: string, cidr?: string) => openPort(stack, id, cidr, 22);
// CDK's own CloudFormation validation flags world-open SSH too; 8080 is Rampart's alone.
const openAdmin = (stack: Stack, id: string) => openPort(stack, id, '0.0.0.0/0', 8080);

describe('RampartChecks (CDK policy-validation plugin)', () => {
  it('reports the violating resource of a synthesized stack, like rampart check', () => {
    const app = appWith((stack) => {
      openSsh(stack, 'Open');
      openSsh(stack, 'Private', '10.0.0.0/8');
    });
    const assembly = app.synth();
    const templatePath = join(assembly.directory, assembly.getStackByName('Web').templateFile);
    const report = new RampartChecks({ configDocument: {} }).validate({
      templatePaths: [templatePath],
      stackTemplates: [],
      appConstruct: app,
    } as unknown as IPolicyValidationContext);
    expect(report.success).toBe(false);
    expect(report.violations).toHaveLength(1);
    expect(report.violations[0]).toMatchObject({
      ruleName: 'sg-no-public-ingress',
      severity: 'high',
    });
    expect(report.violations[0]!.violatingResources).toEqual([
      {
        resourceLogicalId: 'Open',
        templatePath,
        locations: [expect.stringContaining('tcp 22 from 0.0.0.0/0')],
      },
    ]);
  });

  it('rampart check reads a synthesized cdk.out directory', () => {
    const app = appWith((stack) => {
      openAdmin(stack, 'Open');
      openSsh(stack, 'Private', '10.0.0.0/8');
    });
    const outdir = app.synth().directory;
    const report = checkTemplates(loadTemplates(outdir), defaultCatalog(), config);
    expect(report.summary).toMatchObject({ templates: 1, resourcesJudged: 2, violations: 1 });
    expect(report.findings[0]).toMatchObject({
      logicalId: 'Open',
      file: join(outdir, 'Web.template.json'),
    });
  });

  it('fails cdk synth when registered with Validations, and honours a suppression with a reason', () => {
    const failing = appWith((stack) => openAdmin(stack, 'Open'));
    Validations.of(failing).addPlugins(new RampartChecks({ configDocument: {} }));
    expect(() => failing.synth()).toThrow(
      /Security groups allow no ingress from the internet.*\(Rampart\)/,
    );

    const suppressed = appWith((stack) =>
      openAdmin(stack, 'Bastion').addMetadata('rampart', {
        suppress: [{ id: 'sg-no-public-ingress', reason: 'bastion behind SSO certificates' }],
      }),
    );
    Validations.of(suppressed).addPlugins(new RampartChecks({ configDocument: {} }));
    expect(() => suppressed.synth()).not.toThrow();
  });
});
