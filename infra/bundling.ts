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

/** The Lambda runtime's Node.js major; esbuild targets the same. */
export const NODE_MAJOR = 24;

export const BUNDLE_SETTINGS = {
  target: `node${NODE_MAJOR}`,
  format: 'esm' as const,
  minify: true,
  sourceMap: true,
  // Prefer ES modules of dependencies (tree-shaken better than their CommonJS builds).
  mainFields: ['module', 'main'],
  // CommonJS dependencies inside an ES module bundle still call require().
  banner:
    "import{createRequire as __rampartCreateRequire}from'node:module';const require=__rampartCreateRequire(import.meta.url);",
  // Bundle the SDK v3 clients instead of using the runtime's copy: pinned versions, and
  // esbuild keeps only the commands the code imports.
  externalModules: [] as string[],
};

/** Lambda reads source maps only when asked: stack traces then point at the TypeScript. */
export const SOURCE_MAP_ENV = { NODE_OPTIONS: '--enable-source-maps' };
