import Ajv from 'ajv-draft-04';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import { checkTemplates } from '../../src/check';
import { toSarif } from '../../src/check/format';
import { loadTemplates, parseTemplate } from '../../src/cloudformation/template';
import { parseConfig } from '../../src/config';
import { ocsfProblems } from '../support/ocsf-schema';
import { REPO_ROOT } from '../support/samples';

const catalog = defaultCatalog();
const config = parseConfig({}, catalog);
const MIXED = join(REPO_ROOT, 'test/fixtures/templates/sg-mixed.yaml');

function statusByLogicalId(path: string) {
  const report = checkTemplates(loadTemplates(path), catalog, config);
  return Object.fromEntries(report.findings.map((f) => [`${f.logicalId}/${f.ruleId}`, f.status]));
}

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/rampart.js'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('rampart check on CloudFormation templates', () => {
  it('judges inline and standalone ingress, resolves intrinsics, reports unknowns and suppressions', () => {
    expect(statusByLogicalId(MIXED)).toEqual({
      'WebSecurityGroup/sg-no-public-ingress': 'violation', // !Ref AdminCidr defaults to 0.0.0.0/0
      'SshFromAnywhere/sg-no-public-ingress': 'violation', // standalone AWS::EC2::SecurityGroupIngress
      'OfficeSecurityGroup/sg-no-public-ingress': 'unknown', // parameter without default
      'ImportedSecurityGroup/sg-no-public-ingress': 'unknown', // Fn::ImportValue
      'BastionSecurityGroup/sg-no-public-ingress': 'suppressed',
      'LazySuppression/sg-no-public-ingress': 'violation', // a suppression without reason does not apply
      'LazySuppression/rampart-suppression': 'error',
      // ProdOnlyRdp: Fn::If on IsProd (Env defaults to prod) picks 10.0.0.0/8 → compliant, no finding
    });
  });

  it('gives the same verdicts for the JSON form of a template', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-check-'));
    const json = join(dir, 'sg.json');
    writeFileSync(
      json,
      JSON.stringify(
        {
          Parameters: { Open: { Type: 'String', Default: '0.0.0.0/0' } },
          Resources: {
            Open: {
              Type: 'AWS::EC2::SecurityGroup',
              Properties: {
                SecurityGroupIngress: [
                  { IpProtocol: 'tcp', FromPort: 20, ToPort: 30, CidrIp: { Ref: 'Open' } },
                ],
              },
            },
            Closed: {
              Type: 'AWS::EC2::SecurityGroup',
              Properties: {
                SecurityGroupIngress: [
                  {
                    IpProtocol: 'tcp',
                    FromPort: 22,
                    ToPort: 22,
                    CidrIp: { 'Fn::Join': ['', ['10.0.0.0', '/8']] },
                  },
                ],
              },
            },
            Peer: {
              Type: 'AWS::EC2::SecurityGroup',
              Properties: {
                SecurityGroupIngress: [
                  {
                    IpProtocol: '-1',
                    SourceSecurityGroupId: { 'Fn::GetAtt': ['Open', 'GroupId'] },
                  },
                ],
              },
            },
          },
        },
        null,
        2,
      ),
    );
    expect(statusByLogicalId(json)).toEqual({ 'Open/sg-no-public-ingress': 'violation' });
    const report = checkTemplates(loadTemplates(json), catalog, config);
    expect(report.findings[0]!.line).toBe(9); // the line of "Open": under Resources
    expect(report.summary).toMatchObject({ resourcesJudged: 3, violations: 1 });
  });

  it('produces SARIF 2.1.0 that validates against the schema, with file, line and logical id', () => {
    const sarif = toSarif(
      checkTemplates(loadTemplates(MIXED), catalog, config),
      catalog,
      '0.0.0',
      REPO_ROOT,
    );
    const schemaPath = createRequire(import.meta.url).resolve(
      '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
    );
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = sarif.runs[0]!.results!;
    const web = results.find(
      (r) => r.locations?.[0]?.logicalLocations?.[0]?.name === 'WebSecurityGroup',
    )!;
    expect(web).toMatchObject({ ruleId: 'sg-no-public-ingress', level: 'error' });
    expect(web.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'test/fixtures/templates/sg-mixed.yaml' },
      region: { startLine: 14 },
    });
    expect(results.find((r) => r.suppressions)?.suppressions).toEqual([
      { kind: 'inSource', justification: expect.stringContaining('SEC-123') },
    ]);
    expect(results.filter((r) => r.level === 'warning' && r.kind === 'review')).toHaveLength(2); // the unknowns
    // Code scanning can filter by framework control: the rule carries the controls it checks.
    const rule = sarif.runs[0]!.tool.driver.rules!.find((r) => r.id === 'sg-no-public-ingress')!;
    expect(rule.properties).toMatchObject({
      controls: expect.arrayContaining([
        'AWS Foundational Security Best Practices EC2.19',
        'CIS AWS Foundations Benchmark v3.0.0/5.2',
      ]) as unknown,
      tags: expect.arrayContaining(['aws-fsbp EC2.19', 'cis-aws-foundations-3.0 5.2']) as unknown,
    });
  });

  it('produces schema-valid OCSF Compliance Findings, by file and logical id, from the CLI too', () => {
    const run = cli('check', MIXED, '--format', 'ocsf');
    expect(run.code).toBe(1);
    const ocsf = JSON.parse(run.stdout) as {
      status_id: number;
      time: number;
      compliance: { control: string; status_id: number; status_detail?: string };
      resources: { uid: string; name: string; data: { line: number } }[];
    }[];
    for (const f of ocsf) expect(ocsfProblems(f)).toEqual([]);
    const by = Object.fromEntries(
      ocsf.map((f) => [`${f.resources[0]!.name}/${f.compliance.control}`, f]),
    );
    // The same seven findings as the statuses above; the compliant ProdOnlyRdp has none.
    expect(Object.keys(by).sort()).toEqual([
      'BastionSecurityGroup/sg-no-public-ingress',
      'ImportedSecurityGroup/sg-no-public-ingress',
      'LazySuppression/rampart-suppression',
      'LazySuppression/sg-no-public-ingress',
      'OfficeSecurityGroup/sg-no-public-ingress',
      'SshFromAnywhere/sg-no-public-ingress',
      'WebSecurityGroup/sg-no-public-ingress',
    ]);
    const web = by['WebSecurityGroup/sg-no-public-ingress']!;
    expect(web.resources[0]).toMatchObject({
      uid: 'test/fixtures/templates/sg-mixed.yaml#WebSecurityGroup',
      data: { line: 14 },
    });
    expect([web.status_id, web.compliance.status_id]).toEqual([1, 3]); // New, Fail
    const bastion = by['BastionSecurityGroup/sg-no-public-ingress']!;
    expect([bastion.status_id, bastion.compliance.status_id]).toEqual([3, 3]); // Suppressed, Fail
    expect(bastion.compliance.status_detail).toContain('SEC-123');
    // Unknown and error are never a pass: compliance Unknown, with why.
    const office = by['OfficeSecurityGroup/sg-no-public-ingress']!;
    const lazy = by['LazySuppression/rampart-suppression']!;
    expect([office.compliance.status_id, lazy.compliance.status_id]).toEqual([0, 0]);
    // Why it is unknown: the parameter without a default.
    expect(office.compliance.status_detail).toContain('OfficeCidr');
    expect(lazy.compliance.status_detail).toMatch(/^error: /);
    expect(Math.abs(ocsf[0]!.time - Date.now())).toBeLessThan(120_000);
  });

  it('names the file and position of a template that cannot be parsed', () => {
    expect(() => parseTemplate('Resources:\n  A:\n    Type: [unclosed\n', 'bad.yaml')).toThrow(
      /^bad\.yaml:\d+:\d+: /,
    );
    expect(() => parseTemplate('{"Resources": {"A": {}}}', 'x.json')).toThrow(
      /Resources\.A\.Type is missing/,
    );
    expect(() => parseTemplate('[1, 2]', 'list.json')).toThrow(/not a CloudFormation template/);
  });

  it('exits 1 on violations, 0 when clean, 2 on usage or parse errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-check-cli-'));
    const clean = join(dir, 'clean.yaml');
    writeFileSync(
      clean,
      'Resources:\n  Web:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}\n',
    );
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'Resources: [\n');
    expect(cli('check', clean).code).toBe(0);
    const violations = cli('check', MIXED, '--format', 'json');
    expect(violations.code).toBe(1);
    expect(JSON.parse(violations.stdout).summary).toMatchObject({
      violations: 3,
      unknown: 2,
      errors: 1,
      suppressed: 1,
    });
    const parse = cli('check', bad);
    expect(parse.code).toBe(2);
    expect(parse.stderr).toMatch(/bad\.yaml:\d+:\d+/);
    const usage = cli('check', clean, '--format', 'xml');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('allowed: text, json, sarif, ocsf');
  });
});
