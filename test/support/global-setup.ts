import type { TestProject } from 'vitest/node';
import { buildCli } from '../../infra/build-package';
import { startMoto, type MotoServer } from '../../src/local/moto';
import { SDK_CALLS_DIR_ENV, newCallsDir } from './iam-proof';

let moto: MotoServer | undefined;

/** One moto server for the whole run; test files isolate themselves by region or names. */
export async function setup(project: TestProject) {
  // This run's own folder: the IAM proof reads only this run's calls, whatever else runs.
  const callsDir = newCallsDir();
  process.env[SDK_CALLS_DIR_ENV] = callsDir;
  project.provide('sdkCallsDir', callsDir);
  // Tests that start `bin/rampart.js` run the compiled CLI: compile it from these sources.
  const [server] = await Promise.all([startMoto({ iamManagedPolicies: true }), buildCli()]);
  moto = server;
  project.provide('motoEndpoint', moto.endpoint);
}

export async function teardown() {
  await moto?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
    sdkCallsDir: string;
  }
}
