#!/usr/bin/env node
// The compiled CLI (infra/build-cli.ts): `npm ci` builds it through `prepare`.
try {
  await import('../dist/cli/index.js');
} catch (error) {
  if (
    error?.code === 'ERR_MODULE_NOT_FOUND' &&
    String(error.message).includes('dist/cli/index.js')
  ) {
    process.stderr.write("rampart: the CLI is not built; run 'npm run build' (npm ci does it)\n");
    process.exitCode = 2;
  } else {
    throw error;
  }
}
