import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/samples';

/**
 * Policies are pure functions of a snapshot: bundling one must pull in no AWS SDK, no
 * credential provider and no adapter. The bundle's inputs are what a policy's import
 * graph really is (a type-only import is erased, as at run time).
 */
const POLICY_FILES = readdirSync(join(REPO_ROOT, 'policies')).filter(
  (f) => f.endsWith('.ts') && f !== 'index.ts',
);

async function inputsOf(entry: string): Promise<string[]> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
  });
  return Object.keys(out.metafile.inputs);
}

describe('policies are SDK-free', () => {
  it('finds the policy files', () => {
    expect(POLICY_FILES.length).toBeGreaterThanOrEqual(8);
  });

  it.each(POLICY_FILES)('%s bundles without any @aws-sdk or @smithy module', async (file) => {
    const inputs = await inputsOf(join(REPO_ROOT, 'policies', file));
    const sdk = inputs.filter((i) => /node_modules\/@(aws-sdk|smithy|aws-crypto)\//.test(i));
    expect(sdk).toEqual([]);
    // Nor any adapter or engine code that talks to AWS.
    const awsFacing = inputs.filter((i) => /^src\/(aws|engine\/evaluator|sweep)\//.test(i));
    expect(awsFacing).toEqual([]);
    // Beyond zod (the parameter schema), a policy is a handful of files.
    const own = inputs.filter((i) => !i.includes('node_modules/zod/'));
    expect(own.length, own.join('\n')).toBeLessThan(20);
  });

  it('the check can fail: an adapter module does pull the SDK in', async () => {
    const inputs = await inputsOf(join(REPO_ROOT, 'src/resources/sqs-queue/index.ts'));
    expect(inputs.some((i) => i.includes('node_modules/@aws-sdk/client-sqs/'))).toBe(true);
  });
});
