import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set by the CLI build (infra/build-package.ts) from package.json; absent when run from source. */
declare const RAMPART_BUILD_VERSION: string | undefined;

/**
 * Rampart's version: the one compiled in, else (run from source) from the nearest
 * package.json above this module that is Rampart's.
 */
export function rampartVersion(from: string = import.meta.url): string {
  if (typeof RAMPART_BUILD_VERSION === 'string') return RAMPART_BUILD_VERSION;
  let dir = dirname(fileURLToPath(from));
  for (let depth = 0; depth < 6; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'rampart' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here (or not readable): look one level up.
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return '0.0.0-unknown';
}
