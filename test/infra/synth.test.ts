import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/samples';

/** The environment without any AWS credentials, profile or endpoint. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AWS_') && !key.startsWith('CDK_')) env[key] = value;
  }
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true', // no instance-metadata lookups for credentials
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
}

describe('npx cdk synth (as CI runs it)', () => {
  const out = mkdtempSync(join(tmpdir(), 'rampart-synth-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('synthesizes every stack offline, with no AWS credentials, cdk-nag clean', () => {
    const result = spawnSync(
      join(REPO_ROOT, 'node_modules/.bin/cdk'),
      ['synth', '--quiet', '--no-notices', '--no-version-reporting', '-o', out],
      { cwd: REPO_ROOT, env: offlineEnv(), encoding: 'utf8', timeout: 180_000 },
    );
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const templates = readdirSync(out)
      .filter((f) => f.endsWith('.template.json'))
      .sort();
    expect(templates).toEqual([
      'RampartCentral.template.json',
      'RampartMemberEvents.template.json',
      'RampartMemberRole.template.json',
    ]);
    const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8'));
    expect(
      report.pluginReports.filter((r: { conclusion: string }) => r.conclusion !== 'success'),
    ).toEqual([]);
    // Env-agnostic: the account and region stay pseudo parameters until deploy time.
    const central = readFileSync(join(out, 'RampartCentral.template.json'), 'utf8');
    expect(central).toMatch(/"Ref": ?"AWS::AccountId"/);
    expect(central).toMatch(/"Ref": ?"AWS::Region"/);
    expect(central).not.toMatch(/\b\d{12}\b.*:role\/RampartRemediationRole/);
    // Every function the stack deploys was bundled: an asset per handler, none missing.
    const functions = Object.values(
      JSON.parse(central).Resources as Record<
        string,
        { Type: string; Properties: { Code?: { S3Key?: unknown } } }
      >,
    ).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(3);
    for (const fn of functions) expect(fn.Properties.Code?.S3Key).toMatch(/\.zip$/);
  }, 200_000);
});
