import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How Lambda handlers are bundled, in one place: the CDK stacks (NodejsFunction) and the
 * bundle benchmark (esbuild directly) read the same settings, so the bench measures what
 * is deployed.
 */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const EVALUATOR_ENTRY = resolve(REPO_ROOT, 'src/handlers/evaluator.ts');
export const SLACK_ENTRY = resolve(REPO_ROOT, 'src/handlers/slack.ts');
export const LOCK_FILE = resolve(REPO_ROOT, 'package-lock.json');
const YAML_STUB = resolve(REPO_ROOT, 'infra/lambda-stubs/yaml.ts');

/** The Lambda runtime's Node.js major; esbuild targets the same. */
export const NODE_MAJOR = 24;

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
  // esbuild keeps only the commands the code imports.
  externalModules: [] as string[],
  // Deployed functions read JSON configuration only (see infra/lambda-stubs/yaml.ts).
  alias: { yaml: YAML_STUB } as Record<string, string>,
};

/** The same settings as NodejsFunction bundling options. */
export function cdkBundling() {
  return {
    target: BUNDLE_SETTINGS.target,
    minify: BUNDLE_SETTINGS.minify,
    sourceMap: BUNDLE_SETTINGS.sourceMap,
    sourcesContent: BUNDLE_SETTINGS.sourcesContent,
    mainFields: BUNDLE_SETTINGS.mainFields,
    banner: BUNDLE_SETTINGS.banner,
    externalModules: BUNDLE_SETTINGS.externalModules,
    esbuildArgs: Object.fromEntries(
      Object.entries(BUNDLE_SETTINGS.alias).map(([name, path]) => [`--alias:${name}`, path]),
    ),
  };
}

/**
 * Lambda reads source maps only when asked: stack traces then point at the TypeScript, but
 * Node parses the whole map at load, which roughly doubles the cold start (see bench/bundle.ts),
 * so it is a setting (deployment.evaluator.sourceMaps). The map ships in the asset either way.
 */
export const SOURCE_MAP_ENV = { NODE_OPTIONS: '--enable-source-maps' };
