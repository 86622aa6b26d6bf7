import { defineConfig } from 'vitest/config';

/**
 * `npm run test:reliability`: the five reliability scenarios of issue 8, scaled down for CI
 * (full sizes: bench/reliability.ts). Its own moto server, one file, no parallel files.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/scenarios.suite.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/aws-env.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
    pool: 'forks',
    allowOnly: false,
    reporters: ['default', './test/support/no-skips-reporter.ts'],
  },
});
