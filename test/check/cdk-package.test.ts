import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCdkPlugin, buildCli } from '../../infra/build-package';
import { REPO_ROOT } from '../support/samples';

const run = promisify(execFile);

/**
 * `rampart/cdk` as a CDK user gets it: the package is packed (npm pack, the package.json's
 * `files` and `exports`), unpacked into a fresh app's node_modules beside the app's own
 * aws-cdk-lib and constructs, and used from an ES module, a CommonJS module (what `cdk init`
 * makes) and TypeScript under both module resolutions. No registry is reached: the peers are
 * the repository's own installs.
 */
describe('the CDK plugin from the packed package (rampart/cdk)', () => {
  let app: string;
  let packed: string[];

  beforeAll(async () => {
    // Packed from a copy, so the run never rebuilds the dist/ other tests use.
    const stage = mkdtempSync(join(tmpdir(), 'rampart-pack-'));
    cpSync(join(REPO_ROOT, 'package.json'), join(stage, 'package.json'));
    cpSync(join(REPO_ROOT, 'bin'), join(stage, 'bin'), { recursive: true });
    await Promise.all([buildCli(join(stage, 'dist/cli')), buildCdkPlugin(join(stage, 'dist/cdk'))]);
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json'], {
      cwd: stage,
      timeout: 60_000,
    });
    const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    packed = info!.files.map((f) => f.path);

    app = mkdtempSync(join(tmpdir(), 'rampart-consumer-'));
    const modules = join(app, 'node_modules');
    mkdirSync(modules);
    await run('tar', ['-xzf', join(stage, info!.filename), '-C', modules], { timeout: 60_000 });
    cpSync(join(modules, 'package'), join(modules, 'rampart'), { recursive: true });
    for (const peer of ['aws-cdk-lib', 'constructs', 'typescript', '@types']) {
      symlinkSync(join(REPO_ROOT, 'node_modules', peer), join(modules, peer));
    }
  }, 180_000);

  it('ships the compiled CLI and plugin with its declarations, and no TypeScript sources', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'package.json',
        'bin/rampart.js',
        'dist/cli/index.js',
        'dist/cdk/index.js',
        'dist/cdk/index.cjs',
        'dist/cdk/index.d.ts',
      ]),
    );
    expect(packed.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
  });

  // The same app in both module systems: a world-open port fails synthesis with Rampart's
  // finding; the same port from a private range synthesizes.
  const appSource = (load: string) => `${load}
const { App, Stack, Validations } = cdk;
const { CfnSecurityGroup } = ec2;
function synth(cidrIp) {
  const app = new App({ outdir: process.argv[2] + '/' + cidrIp.replace(/[./]/g, '-') });
  const stack = new Stack(app, 'Web');
  new CfnSecurityGroup(stack, 'Admin', {
    groupDescription: 'admin',
    securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 8080, toPort: 8080, cidrIp }],
  });
  Validations.of(app).addPlugins(new RampartChecks({ configDocument: {} }));
  try { app.synth(); return 'synthesized'; } catch (error) { return String(error.message); }
}
process.stdout.write(JSON.stringify({ open: synth('0.0.0.0/0'), private: synth('10.0.0.0/8') }));
`;

  it.each([
    [
      'an ES module',
      'app.mjs',
      "import { RampartChecks } from 'rampart/cdk';\nimport * as cdk from 'aws-cdk-lib';\nimport * as ec2 from 'aws-cdk-lib/aws-ec2';",
    ],
    [
      'a CommonJS module',
      'app.cjs',
      "const { RampartChecks } = require('rampart/cdk');\nconst cdk = require('aws-cdk-lib');\nconst ec2 = require('aws-cdk-lib/aws-ec2');",
    ],
  ])(
    'fails synthesis on a violation when loaded from %s',
    async (_kind, file, load) => {
      writeFileSync(join(app, file), appSource(load));
      const { stdout } = await run(process.execPath, [file, mkdtempSync(join(tmpdir(), 'out-'))], {
        cwd: app,
        timeout: 120_000,
      });
      const result = JSON.parse(stdout) as { open: string; private: string };
      expect(result.open).toMatch(
        /Security groups allow no ingress from the internet.*\(Rampart\)/,
      );
      expect(result.private).toBe('synthesized');
    },
    180_000,
  );

  it.each([
    ['NodeNext', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    // `cdk init app --language typescript`: CommonJS, node10 resolution (no `exports`).
    ['cdk init (CommonJS, node10)', { module: 'commonjs', moduleResolution: 'node10' }],
  ])(
    'type-checks a TypeScript app under %s resolution',
    async (name, moduleOptions) => {
      const dir = join(app, `ts-${readdirSync(app).length}`);
      mkdirSync(dir);
      symlinkSync(join(app, 'node_modules'), join(dir, 'node_modules'));
      writeFileSync(
        join(dir, 'app.ts'),
        [
          "import { App, Validations } from 'aws-cdk-lib';",
          "import { RampartChecks, type RampartChecksOptions } from 'rampart/cdk';",
          'const options: RampartChecksOptions = { configPath: "rampart.config.yaml", failOnUnknown: true };',
          'Validations.of(new App()).addPlugins(new RampartChecks(options));',
          '// @ts-expect-error: the options are checked',
          'new RampartChecks({ failOnUnknown: "yes" });',
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            ...moduleOptions,
            target: 'ES2022',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: ['node'],
            ...(name.startsWith('cdk') ? { ignoreDeprecations: '5.0' } : {}),
          },
          files: ['app.ts'],
        }),
      );
      const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
      const result = await run(process.execPath, [tsc, '-p', dir], { timeout: 120_000 }).then(
        () => 'ok',
        (error: { stdout?: string }) => error.stdout ?? String(error),
      );
      expect(result).toBe('ok');
    },
    180_000,
  );
});
