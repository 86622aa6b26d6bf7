import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import ts from 'typescript';
import { BUNDLE_SETTINGS, REPO_ROOT } from './bundling';
import { sdkTreeShakingPlugin } from './sdk-tree-shaking';

/**
 * What the package ships, compiled (`npm run build`; `npm ci` runs it through `prepare`):
 * the `rampart` command and the `rampart/cdk` plugin. Nothing here runs TypeScript at a
 * user's runtime.
 *
 * The `rampart` command: JavaScript compiled from src/cli by esbuild (as the Lambda
 * handlers are), so a user's shell never runs the TypeScript compiler. `npm ci` builds it
 * (`prepare`), the test run rebuilds it (test/global-setup.ts), and `bin/rampart.js` loads it.
 *
 * Code splitting keeps each command in its own chunk, loaded by the `import()` in
 * src/cli/main.ts only when that command runs: `--help` reads commander and main, nothing of
 * the AWS SDK (test/cli/compiled-cli.test.ts holds that against the metafile).
 */
export const CLI_ENTRY = resolve(REPO_ROOT, 'src/cli/index.ts');
export const CLI_OUTDIR = resolve(REPO_ROOT, 'dist/cli');

/** The user's Node, not Lambda's: the oldest one package.json's `engines` allows. */
const CLI_TARGET = 'node20';

/**
 * Left to node_modules: loaded by one rarely-started command (`rampart slack`) or never by the
 * CLI, and CommonJS with dynamic requires that bundle poorly.
 */
const CLI_EXTERNAL = ['@slack/bolt', 'aws-cdk-lib', 'constructs', 'playwright-core'];

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export interface CliBuild {
  readonly outdir: string;
  readonly entry: string;
  readonly metafile: Metafile;
}

export async function buildCli(outdir: string = CLI_OUTDIR): Promise<CliBuild> {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { index: CLI_ENTRY },
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    target: CLI_TARGET,
    format: BUNDLE_SETTINGS.format,
    minify: BUNDLE_SETTINGS.minify,
    sourcemap: true,
    sourcesContent: BUNDLE_SETTINGS.sourcesContent,
    mainFields: BUNDLE_SETTINGS.mainFields,
    banner: { js: BUNDLE_SETTINGS.banner },
    external: CLI_EXTERNAL,
    define: { RAMPART_BUILD_VERSION: JSON.stringify(packageVersion()) },
    plugins: [sdkTreeShakingPlugin()],
    metafile: true,
    logLevel: 'error',
  });
  return { outdir, entry: resolve(outdir, 'index.js'), metafile: result.metafile };
}

export const CDK_PLUGIN_ENTRY = resolve(REPO_ROOT, 'src/check/cdk.ts');
export const CDK_PLUGIN_OUTDIR = resolve(REPO_ROOT, 'dist/cdk');

/**
 * `rampart/cdk`: the policy-validation plugin for a CDK app, as an ES module and a CommonJS
 * one (`cdk init` apps are CommonJS), with its declarations. Rampart's own code (policies,
 * catalog, zod, yaml) is bundled in; aws-cdk-lib and constructs are the app's own
 * (peerDependencies): one copy of the construct library, the one the app synthesizes with.
 */
export async function buildCdkPlugin(outdir: string = CDK_PLUGIN_OUTDIR): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  const common: BuildOptions = {
    entryPoints: [CDK_PLUGIN_ENTRY],
    bundle: true,
    platform: 'node',
    target: CLI_TARGET,
    minify: BUNDLE_SETTINGS.minify,
    sourcemap: true,
    sourcesContent: BUNDLE_SETTINGS.sourcesContent,
    mainFields: BUNDLE_SETTINGS.mainFields,
    external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'],
    plugins: [sdkTreeShakingPlugin()],
    logLevel: 'error',
  };
  await build({
    ...common,
    format: 'esm',
    outfile: resolve(outdir, 'index.js'),
    banner: { js: BUNDLE_SETTINGS.banner },
  });
  await build({ ...common, format: 'cjs', outfile: resolve(outdir, 'index.cjs') });
  mkdirSync(outdir, { recursive: true });
  writeFileSync(resolve(outdir, 'index.d.ts'), pluginDeclarations());
}

export class PackageBuildError extends Error {
  override readonly name = 'PackageBuildError';
}

/**
 * The entry's declarations, from its source alone (TypeScript's isolated declarations): the
 * exported types name aws-cdk-lib's only, so the one file is the whole public surface. An
 * import of anything else would leave the consumer a dangling path, so it fails the build.
 */
function pluginDeclarations(): string {
  const source = readFileSync(CDK_PLUGIN_ENTRY, 'utf8');
  const { outputText: declaration, diagnostics } = ts.transpileDeclaration(source, {
    fileName: CDK_PLUGIN_ENTRY,
    compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022 },
    reportDiagnostics: true,
  });
  if (diagnostics && diagnostics.length > 0) {
    const text = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    throw new PackageBuildError(`declarations of ${CDK_PLUGIN_ENTRY}: ${text.join('; ')}`);
  }
  const foreign = [...declaration.matchAll(/from '([^']+)'/g)]
    .map((m) => m[1]!)
    .filter((spec) => spec !== 'aws-cdk-lib');
  if (foreign.length > 0) {
    throw new PackageBuildError(
      `the public types of ${CDK_PLUGIN_ENTRY} import ${foreign.join(', ')}; only aws-cdk-lib may be named`,
    );
  }
  return declaration;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  Promise.all([buildCli(), buildCdkPlugin()]).catch((error: unknown) => {
    process.stderr.write(
      `building the package failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
