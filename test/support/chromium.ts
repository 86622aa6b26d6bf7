import { existsSync } from 'node:fs';

/** Debian's browser: tests never download one. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * The browser's path, or an error saying how to install it: a missing browser fails the
 * run (`npm test` installs it first, scripts/ensure-chromium.sh), it never skips the test.
 */
export function requireChromium(path = CHROMIUM): string {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: run bash scripts/ensure-chromium.sh (npm test runs it first), or apt-get install -y chromium`,
    );
  }
  return path;
}
