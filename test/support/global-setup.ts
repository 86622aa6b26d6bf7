import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '../../src/local/moto';
import { clearObservedCalls } from './iam-proof';

let moto: MotoServer | undefined;

/** One moto server for the whole run; test files isolate themselves by region or names. */
export async function setup(project: TestProject) {
  clearObservedCalls(); // the IAM proof reads only this run's calls
  moto = await startMoto({ iamManagedPolicies: true });
  project.provide('motoEndpoint', moto.endpoint);
}

export async function teardown() {
  await moto?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}
