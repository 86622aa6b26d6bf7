import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type CliBuild } from '../../infra/build-package';
import { REPO_ROOT } from '../support/samples';

/**
 * What `--help` loads: the entry and src/cli/main.ts (which the entry always imports, after
 * turning source maps on), with everything they import statically; not the chunks behind an
 * `import()`.
 */
function staticallyLoadedInputs(metafile: Metafile, entry: string): Set<string> {
  const outputs = metafile.outputs;
  const seen = new Set<string>();
  const inputs = new Set<string>();
  const main = Object.keys(outputs).find((o) => outputs[o]!.entryPoint === 'src/cli/main.ts');
  if (!main) throw new Error('src/cli/main.ts is not a chunk of its own');
  const queue = [entry, main];
  while (queue.length > 0) {
    const out = queue.pop()!;
    if (seen.has(out)) continue;
    seen.add(out);
    const meta = outputs[out];
    if (!meta) throw new Error(`no output ${out} in the metafile`);
    for (const input of Object.keys(meta.inputs)) inputs.add(input);
    for (const imp of meta.imports) {
      if (imp.kind === 'import-statement' && !imp.external) queue.push(imp.path);
    }
  }
  return inputs;
}

const HEAVY = /node_modules\/(@aws-sdk|@smithy|aws-cdk-lib|@slack|playwright-core|zod|yaml)\//;

describe('the compiled rampart CLI (infra/build-package.ts)', () => {
  let built: CliBuild;
  let entryKey: string;
  beforeAll(async () => {
    built = await buildCli(mkdtempSync(join(tmpdir(), 'rampart-cli-build-')));
    entryKey = relative(process.cwd(), built.entry);
  });

  const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnSync(process.execPath, [built.entry, ...args], { encoding: 'utf8', env, timeout: 60_000 });

  it('loads commander and its own main for --help, and no AWS SDK, CDK, bolt, zod or playwright', () => {
    const all = new Set(
      Object.values(built.metafile.outputs).flatMap((o) => Object.keys(o.inputs)),
    );
    const loaded = staticallyLoadedInputs(built.metafile, entryKey);
    // The build as a whole does carry the SDK (the commands need it) ...
    expect([...all].some((i) => i.includes('node_modules/@aws-sdk/client-ec2/'))).toBe(true);
    // ... but only behind the commands' import(): the start path has none of it.
    expect([...loaded].filter((i) => HEAVY.test(i))).toEqual([]);
    expect([...loaded].some((i) => i.includes('node_modules/commander/'))).toBe(true);
    expect([...loaded].filter((i) => i.startsWith('src/')).sort()).toEqual([
      'src/check/format-names.ts',
      'src/cli/index.ts',
      'src/cli/main.ts',
      'src/cli/usage.ts',
      'src/cli/version.ts',
      'src/errors.ts',
      'src/sweep/format-names.ts',
    ]);
  });

  it('prints help and the package version without TypeScript at runtime', () => {
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['handle', 'check', 'simulate', 'scan', 'digest', 'slack']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
      dependencies: Record<string, string>;
    };
    expect(cli(['--version']).stdout.trim()).toBe(pkg.version);
    expect(pkg.dependencies).not.toHaveProperty('tsx');
    expect(cli(['--no-such-option']).status).toBe(2);
  });

  it('maps stack traces to the TypeScript with --debug, and prints none without it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-cli-debug-'));
    const config = join(dir, 'rampart.config.yaml');
    // A history table that does not exist: an unexpected AWS error from inside the digest.
    writeFileSync(config, 'compliance:\n  historyTable: rampart-no-such-history-table\n');
    const withDebug = cli(['--debug', 'digest', '-c', config]);
    expect(withDebug.status).toBe(1);
    expect(withDebug.stderr).toContain('rampart: ResourceNotFoundException');
    expect(withDebug.stderr).toMatch(/\(\S*\/src\/[\w/.-]+\.ts:\d+:\d+\)/);
    const plain = cli(['digest', '-c', config]);
    expect(plain.status).toBe(1);
    expect(plain.stderr).toContain('rampart: ResourceNotFoundException');
    expect(plain.stderr).not.toMatch(/^\s+at /m);
  });

  it('says how to build it when bin/rampart.js finds no compiled CLI', () => {
    const bare = mkdtempSync(join(tmpdir(), 'rampart-unbuilt-'));
    mkdirSync(join(bare, 'bin'));
    cpSync(join(REPO_ROOT, 'bin/rampart.js'), join(bare, 'bin/rampart.js'));
    writeFileSync(join(bare, 'package.json'), '{"type":"module"}');
    const run = spawnSync(process.execPath, [join(bare, 'bin/rampart.js'), '--help'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("run 'npm run build'");
  });
});
