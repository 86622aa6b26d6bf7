import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import { ConfigError, loadConfig, parseConfig, parseConfigText } from '../../src/config';

const catalog = defaultCatalog();

function problems(raw: unknown): string[] {
  try {
    parseConfig(raw, catalog);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('applies the defaults with no file', () => {
    const config = loadConfig(catalog, undefined, {});
    expect(config.ownRole).toEqual({
      roleNames: ['RampartEvaluatorRole', 'RampartRemediationRole'],
      arns: [],
      sessionNames: ['rampart-evaluator', 'rampart-sweep'],
    });
    expect(config.policies['sg-no-public-ingress']).toEqual({
      enabled: true,
      mode: 'enforce',
      parameters: {
        allowedPublicPorts: [80, 443],
        extraPublicCidrs: [],
        publicPrefixIpv4: 8,
        publicPrefixIpv6: 16,
        allowIcmp: false,
      },
    });
  });

  it('reads rampart.config.yaml, filling what it leaves out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-config-'));
    const file = join(dir, 'rampart.config.yaml');
    writeFileSync(
      file,
      'policies:\n  sg-no-public-ingress:\n    mode: notify\n    parameters:\n      allowedPublicPorts: [443]\n',
    );
    const config = loadConfig(catalog, file, {});
    expect(config.policies['sg-no-public-ingress']).toMatchObject({
      mode: 'notify',
      parameters: { allowedPublicPorts: [443], allowIcmp: false },
    });
    expect(
      loadConfig(catalog, undefined, { RAMPART_CONFIG: file }).policies['sg-no-public-ingress']!
        .mode,
    ).toBe('notify');
  });

  it('takes the deployed JSON form from RAMPART_CONFIG_JSON', () => {
    const env = {
      RAMPART_CONFIG_JSON: JSON.stringify({
        policies: { 'sg-no-public-ingress': { mode: 'dry-run' } },
      }),
    };
    expect(loadConfig(catalog, undefined, env).policies['sg-no-public-ingress']!.mode).toBe(
      'dry-run',
    );
    expect(() => loadConfig(catalog, undefined, { RAMPART_CONFIG_JSON: '{oops' })).toThrow(
      /RAMPART_CONFIG_JSON is not JSON/,
    );
  });

  it('names an invalid value and the allowed values', () => {
    expect(problems({ policies: { 'sg-no-public-ingress': { mode: 'enforced' } } })).toEqual([
      'policies.sg-no-public-ingress.mode: invalid value; allowed: "enforce"|"approve"|"notify"|"dry-run"',
    ]);
  });

  it('Security Hub is off by default; a bad region or an unknown key is named', () => {
    expect(parseConfig({}, catalog).securityHub).toEqual({ enabled: false });
    expect(problems({ securityHub: { enabled: true, region: 'mars-north-1x' } })).toEqual([
      expect.stringMatching(/^securityHub\.region: /),
    ]);
    expect(problems({ securityHub: { enable: true } })).toEqual([
      'securityHub.enable: unknown key; allowed: enabled, region',
    ]);
  });

  it('names an unknown key and the allowed keys, at every level', () => {
    expect(problems({ polices: {} })).toEqual([
      'polices: unknown key; allowed: version, ownRole, policies, slack, reliability, compliance, securityHub, organization, deployment',
    ]);
    expect(problems({ policies: { 'sg-open': {} } })[0]).toMatch(
      /^policies\.sg-open: unknown key; allowed: .*sg-no-public-ingress/,
    );
    expect(
      problems({ policies: { 'sg-no-public-ingress': { parameters: { allowedPorts: [22] } } } }),
    ).toEqual([
      'policies.sg-no-public-ingress.parameters.allowedPorts: unknown key; allowed: allowedPublicPorts, extraPublicCidrs, publicPrefixIpv4, publicPrefixIpv6, allowIcmp',
    ]);
  });

  it('names a wrongly typed parameter', () => {
    expect(
      problems({ policies: { 'sg-no-public-ingress': { parameters: { allowIcmp: 'yes' } } } })[0],
    ).toMatch(/^policies\.sg-no-public-ingress\.parameters\.allowIcmp: .*boolean/);
    expect(problems({ ownRole: { arns: ['RampartRole'] } })[0]).toMatch(
      /^ownRole\.arns\.0: expected an IAM role ARN/,
    );
  });

  it('says where a YAML file cannot be parsed', () => {
    expect(() =>
      parseConfigText('policies:\n  sg-no-public-ingress: [\n', catalog, 'bad.yaml'),
    ).toThrow(/cannot parse bad\.yaml at line \d+, column \d+/);
    expect(() => loadConfig(catalog, '/nonexistent/rampart.config.yaml', {})).toThrow(
      /cannot read configuration file/,
    );
  });
});
