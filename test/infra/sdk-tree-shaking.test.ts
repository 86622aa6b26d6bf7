import { describe, expect, it } from 'vitest';
import {
  SDK_RUNTIME_CONFIG_FILE,
  SDK_SCHEMA_FILE,
  inlineSchemaKeys,
  narrowPackageInfoImport,
} from '../../infra/sdk-tree-shaking';

describe('inlining the SDK schema trait keys', () => {
  const schema = [
    'const _xN = "xmlName";',
    'const _e = "error";',
    'const _c = "client";',
    'const n0 = "com.amazonaws.ec2";',
    'export var A$ = [3, n0, _c, 0, [_c], [[() => B$, { [_xN]: _c }]]];',
    'export var E$ = [-3, n0, _c, { [_e]: _c,',
    '    [_xN]: `Code` }, [], []];',
  ].join('\n');

  it('turns each computed key naming a string constant into that string, line for line', () => {
    const { contents, inlined, unresolved } = inlineSchemaKeys(schema);
    expect(inlined).toBe(3);
    expect(unresolved).toEqual([]);
    expect(contents).toContain('[[() => B$, { "xmlName": _c }]]');
    expect(contents).toContain('{ "error": _c,\n    "xmlName": `Code` }');
    expect(contents.split('\n')).toHaveLength(schema.split('\n').length); // source maps stay right
    expect(contents).not.toMatch(/\[_\w+\]:/);
  });

  it('reports a computed key that names no string constant and leaves it as it was', () => {
    const { contents, unresolved } = inlineSchemaKeys(`${schema}\nexport var C$ = { [_zz]: 1 };`);
    expect(unresolved).toEqual(['_zz']);
    expect(contents).toContain('{ [_zz]: 1 }');
  });

  it('applies to the schema modules of clients and nested clients only', () => {
    expect(
      SDK_SCHEMA_FILE.test('/r/node_modules/@aws-sdk/client-ec2/dist-es/schemas/schemas_0.js'),
    ).toBe(true);
    expect(
      SDK_SCHEMA_FILE.test(
        '/r/node_modules/@aws-sdk/nested-clients/dist-es/submodules/sts/schemas/schemas_0.js',
      ),
    ).toBe(true);
    expect(
      SDK_SCHEMA_FILE.test('/r/node_modules/@aws-sdk/client-ec2/dist-es/models/errors.js'),
    ).toBe(false);
    expect(SDK_SCHEMA_FILE.test('/r/src/schemas/schemas_0.js')).toBe(false);
  });
});

describe('narrowing the SDK manifest import to its version', () => {
  const config = [
    'import packageInfo from "../package.json";',
    'export const getRuntimeConfig = (config) => ({',
    '  defaultUserAgentProvider: createUserAgent({ clientVersion: packageInfo.version }),',
    '});',
  ].join('\n');

  it('imports only `version` when that is all the module reads', () => {
    const { contents, narrowed } = narrowPackageInfoImport(config);
    expect(narrowed).toBe(true);
    expect(contents).toContain('import { version as packageVersion } from "../package.json";');
    expect(contents).toContain('createUserAgent({ clientVersion: packageVersion })');
    expect(contents).not.toContain('packageInfo');
    expect(contents.split('\n')).toHaveLength(config.split('\n').length);
  });

  it('leaves the module alone when it reads anything else of the manifest', () => {
    const other = `${config}\nexport const name = packageInfo.name;`;
    expect(narrowPackageInfoImport(other)).toEqual({ contents: other, narrowed: false });
    const whole = `${config}\nlog(packageInfo);`;
    expect(narrowPackageInfoImport(whole)).toEqual({ contents: whole, narrowed: false });
  });

  it('applies to the clients’ Node runtime configurations only', () => {
    expect(
      SDK_RUNTIME_CONFIG_FILE.test('/r/node_modules/@aws-sdk/client-rds/dist-es/runtimeConfig.js'),
    ).toBe(true);
    expect(
      SDK_RUNTIME_CONFIG_FILE.test(
        '/r/node_modules/@aws-sdk/client-rds/dist-es/runtimeConfig.browser.js',
      ),
    ).toBe(false);
  });
});
