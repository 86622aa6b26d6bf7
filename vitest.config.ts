import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/aws-env.ts', 'test/support/record-sdk-calls.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Fail the run if anything is skipped or left as a todo: CI must not pass on skipped tests.
    allowOnly: false,
    reporters: ['default', ['./test/support/no-skips-reporter.ts', { iamProof: true }]],
  },
});
