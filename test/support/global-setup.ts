import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '../../src/local/moto';

let moto: MotoServer | undefined;

/** One moto server for the whole run; test files isolate themselves by region or names. */
export async function setup(project: TestProject) {
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
