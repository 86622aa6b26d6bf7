import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, aws_lambda as lambda } from 'aws-cdk-lib';
import { build, type Metafile } from 'esbuild';
import { sdkTreeShakingPlugin } from './sdk-tree-shaking';

/**
 * How Lambda handlers are bundled, in one place: the CDK stacks (through `lambdaCode`, which
 * runs infra/build-lambda.ts) and the bundle benchmark and test (through `buildLambda`) run the
 * same esbuild build, so the bench measures what is deployed.
 */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const EVALUATOR_ENTRY = resolve(REPO_ROOT, 'src/handlers/evaluator.ts');
export const SLACK_ENTRY = resolve(REPO_ROOT, 'src/handlers/slack.ts');
export const SWEEP_ENTRY = resolve(REPO_ROOT, 'src/handlers/sweep.ts');
export const DIGEST_ENTRY = resolve(REPO_ROOT, 'src/handlers/digest.ts');
export const CONFIG_RULE_ENTRY = resolve(REPO_ROOT, 'src/handlers/config-rule.ts');
const YAML_STUB = resolve(REPO_ROOT, 'infra/lambda-stubs/yaml.ts');
const BUILD_SCRIPT = resolve(REPO_ROOT, 'infra/build-lambda.ts');

/** The Lambda runtime's Node.js major; esbuild targets the same. */
export const NODE_MAJOR = 24;

/** The handler file inside the asset: Lambda loads `index.mjs` as an ES module. */
export const HANDLER = 'index.handler';
const OUTPUT_FILE = 'index.mjs';

export const BUNDLE_SETTINGS = {
  target: `node${NODE_MAJOR}`,
  format: 'esm' as const,
  minify: true,
  sourceMap: true,
  // Maps to file and line without embedding the sources: half the size, same stack traces.
  sourcesContent: false,
  // Prefer ES modules of dependencies (tree-shaken better than their CommonJS builds).
  mainFields: ['module', 'main'],
  // CommonJS dependencies inside an ES module bundle still call require().
  banner:
    "import{createRequire as __rampartCreateRequire}from'node:module';const require=__rampartCreateRequire(import.meta.url);",
  // Bundle the SDK v3 clients instead of using the runtime's copy: pinned versions, and
  // esbuild keeps only the commands the code imports (see infra/sdk-tree-shaking.ts).
  externalModules: [] as string[],
  // Deployed functions read JSON configuration only (see infra/lambda-stubs/yaml.ts).
  alias: { yaml: YAML_STUB } as Record<string, string>,
};

export interface LambdaBundle {
  /** The bundled handler module (`<outdir>/index.mjs`, its map beside it). */
  readonly outfile: string;
  /** What esbuild put in it, per input file. */
  readonly metafile: Metafile;
}

/** Bundles one handler into `outdir` as deployed. */
export async function buildLambda(entry: string, outdir: string): Promise<LambdaBundle> {
  const outfile = join(outdir, OUTPUT_FILE);
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: BUNDLE_SETTINGS.target,
    format: BUNDLE_SETTINGS.format,
    minify: BUNDLE_SETTINGS.minify,
    sourcemap: BUNDLE_SETTINGS.sourceMap,
    sourcesContent: BUNDLE_SETTINGS.sourcesContent,
    mainFields: BUNDLE_SETTINGS.mainFields,
    banner: { js: BUNDLE_SETTINGS.banner },
    external: BUNDLE_SETTINGS.externalModules,
    alias: BUNDLE_SETTINGS.alias,
    plugins: [sdkTreeShakingPlugin()],
    metafile: true,
    logLevel: 'error',
  });
  return { outfile, metafile: result.metafile };
}

export class LambdaBundlingError extends Error {
  override readonly name = 'LambdaBundlingError';
  constructor(
    readonly entry: string,
    detail: string,
  ) {
    super(`bundling ${entry} failed: ${detail}`);
  }
}

/**
 * The Lambda code asset of one handler. NodejsFunction runs the esbuild CLI, which takes no
 * plugins, so the asset is bundled locally by infra/build-lambda.ts (`buildLambda` above) in a
 * child process: CDK's bundling hook is synchronous and esbuild's synchronous API takes no
 * plugins either. The asset hash is the output's, as with NodejsFunction.
 */
const BUILT_BUNDLES = new Map<string, string>();

export function lambdaCode(entry: string): lambda.Code {
  return lambda.Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type, never run: local bundling throws rather than fall back to Docker
      // (esbuild is a dev dependency, so wherever `cdk synth` runs it can bundle).
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
      local: {
        tryBundle(outputDir: string): boolean {
          mkdirSync(outputDir, { recursive: true });
          // One build per entry and process: an app (or a test) synthesizing several stacks
          // would otherwise rebuild the same bundle for each. The sources cannot change
          // during one synthesis.
          const built = BUILT_BUNDLES.get(entry);
          if (built) {
            cpSync(built, outputDir, { recursive: true });
            return true;
          }
          const child = spawnSync(
            process.execPath,
            ['--import', 'tsx', BUILD_SCRIPT, entry, outputDir],
            { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 },
          );
          if (child.error) throw new LambdaBundlingError(entry, child.error.message);
          if (child.status !== 0) {
            throw new LambdaBundlingError(entry, `exit ${child.status}: ${child.stderr}`);
          }
          const copy = mkdtempSync(join(tmpdir(), 'rampart-bundle-'));
          cpSync(outputDir, copy, { recursive: true });
          BUILT_BUNDLES.set(entry, copy);
          return true;
        },
      },
    },
  });
}

/**
 * Lambda reads source maps only when asked: stack traces then point at the TypeScript, but
 * Node parses the whole map at load, which roughly doubles the cold start (see bench/bundle.ts),
 * so it is a setting (deployment.evaluator.sourceMaps). The map ships in the asset either way.
 */
export const SOURCE_MAP_ENV = { NODE_OPTIONS: '--enable-source-maps' };
