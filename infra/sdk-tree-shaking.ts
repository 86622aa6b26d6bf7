import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/**
 * Lets esbuild tree-shake what the AWS SDK v3 clients generate. Both rewrites below keep the
 * code's meaning exactly; they only remove what made esbuild keep unused code.
 */

/**
 * Since about 3.930 each client's `schemas/schemas_0.js` describes every shape of its service
 * as one top-level array, with traits written as objects whose keys are computed from string
 * constants of the same file: `const _xN = "xmlName"; … { [_xN]: _PIo }`. esbuild must assume
 * a computed key may run code (a `toString`), so it keeps every statement that has one: the
 * bundle then carries the schema of every operation of EC2 (≈ 550 kB minified) when the code
 * imports one command. Tracked upstream as aws/aws-sdk-js-v3#7607; the proposed fix
 * (smithy-lang/smithy-typescript#1889) emits the literal keys instead, which is exactly what
 * this does at load time. Once released, the files have no such keys and this is a no-op.
 */
export const SDK_SCHEMA_FILE = /[\\/]@aws-sdk[\\/].+[\\/]schemas[\\/]schemas_\d+\.js$/;

// `const _xN = "xmlName";`: the generated string table (top level, one per line).
const STRING_CONSTANT = /^const (_[A-Za-z0-9]+) = ("[^"\\\n]*");$/gm;
// `{ [_xN]: …` or `, [_xN]: …`: a computed key naming one of those constants.
const COMPUTED_KEY = /([{,]\s*)\[(_[A-Za-z0-9]+)\]:/g;

export interface InlinedSchemaKeys {
  readonly contents: string;
  /** How many computed keys became literal keys. */
  readonly inlined: number;
  /** Computed keys left alone because their name is not a string constant of the file. */
  readonly unresolved: readonly string[];
}

/** Replaces each computed key that names a top-level string constant by that string. */
export function inlineSchemaKeys(source: string): InlinedSchemaKeys {
  const strings = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(STRING_CONSTANT)) strings.set(name!, literal!);
  let inlined = 0;
  const unresolved = new Set<string>();
  const contents = source.replace(COMPUTED_KEY, (key, before: string, name: string) => {
    const literal = strings.get(name);
    if (literal === undefined) {
      unresolved.add(name);
      return key;
    }
    inlined++;
    return `${before}${literal}:`;
  });
  return { contents, inlined, unresolved: [...unresolved] };
}

export class SdkSchemaKeysError extends Error {
  override readonly name = 'SdkSchemaKeysError';
  constructor(
    readonly file: string,
    readonly unresolved: readonly string[],
  ) {
    super(
      `${file}: computed schema keys ${unresolved.join(', ')} name no string constant of the file; ` +
        'the SDK code generator changed, so review infra/sdk-tree-shaking.ts',
    );
  }
}

/**
 * Each client's runtime configuration reads its `package.json` for one field, the version in
 * the user agent, but as a default import (`import packageInfo from "../package.json"`), which
 * keeps the whole manifest (≈ 2 kB per client). A named import of `version` keeps only that.
 */
export const SDK_RUNTIME_CONFIG_FILE = /[\\/]@aws-sdk[\\/].+[\\/]runtimeConfig\.js$/;

const PACKAGE_INFO_IMPORT = /^import packageInfo from ("[./]+package\.json");$/m;

/**
 * Turns the default import of `package.json` into a named import of `version`, when that is
 * provably all the module reads (every other mention is `packageInfo.version`); otherwise
 * returns the source unchanged.
 */
export function narrowPackageInfoImport(source: string): { contents: string; narrowed: boolean } {
  const match = PACKAGE_INFO_IMPORT.exec(source);
  if (!match) return { contents: source, narrowed: false };
  const rest = source.replace(match[0], '');
  const mentions = rest.match(/\bpackageInfo\b/g)?.length ?? 0;
  const versionReads = rest.match(/\bpackageInfo\.version\b/g)?.length ?? 0;
  if (mentions !== versionReads) return { contents: source, narrowed: false };
  const contents = source
    .replace(match[0], `import { version as packageVersion } from ${match[1]};`)
    .replace(/\bpackageInfo\.version\b/g, 'packageVersion');
  return { contents, narrowed: true };
}

/**
 * The esbuild plugin: every SDK schema module is loaded with its keys inlined, and every
 * client's runtime configuration imports only the version from its manifest.
 */
export function sdkTreeShakingPlugin(): Plugin {
  return {
    name: 'rampart-sdk-tree-shaking',
    setup(build) {
      build.onLoad({ filter: SDK_SCHEMA_FILE }, async ({ path }) => {
        const { contents, unresolved } = inlineSchemaKeys(await readFile(path, 'utf8'));
        // A key we cannot resolve would silently keep the whole file again: say so instead.
        if (unresolved.length > 0) throw new SdkSchemaKeysError(path, unresolved);
        return { contents, loader: 'js' };
      });
      build.onLoad({ filter: SDK_RUNTIME_CONFIG_FILE }, async ({ path }) => ({
        contents: narrowPackageInfoImport(await readFile(path, 'utf8')).contents,
        loader: 'js',
      }));
    },
  };
}
