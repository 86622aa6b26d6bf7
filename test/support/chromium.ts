import { existsSync } from 'node:fs';

/** Debian's browser: tests never download one. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * The browser's path, or an error saying how to install it: a missing browser fails the
 * run (CI's .ci/run installs it), it never skips the test.
 */
export function requireChromium(path = CHROMIUM): string {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: install Debian's chromium (apt-get update && apt-get install -y chromium, with sudo when not root), as .ci/run does`,
    );
  }
  return path;
}
