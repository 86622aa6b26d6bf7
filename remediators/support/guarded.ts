import type { RemediationResult } from '../../src/engine/definitions';
import { errorMessage } from '../../src/errors';

/**
 * Runs a remediation; a refused or failing AWS call becomes outcome `failed` with the AWS
 * error, listing the writes that had already succeeded (so a human knows the state).
 */
export async function guarded(
  before: unknown,
  run: (changes: string[]) => Promise<RemediationResult>,
): Promise<RemediationResult> {
  const changes: string[] = [];
  try {
    return await run(changes);
  } catch (error) {
    return { status: 'failed', changes, before, after: before, error: errorMessage(error) };
  }
}

export function verificationFailed(
  changes: string[],
  before: unknown,
  after: unknown,
  what: string,
): RemediationResult {
  return { status: 'failed', changes, before, after, error: `verification failed: ${what}` };
}

/** The resource disappeared between the evaluation and the remediation: nothing to do or claim. */
export function resourceGone(changes: string[], what: string): RemediationResult {
  return {
    status: 'failed',
    changes,
    before: undefined,
    after: undefined,
    error: `${what} no longer exists`,
  };
}
