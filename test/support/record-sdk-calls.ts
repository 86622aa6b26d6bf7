import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { observeCalls } from '../../src/aws/calls';

/**
 * Records every SDK call that a registry piece (a resource type's reads, an enumerator, a
 * remediator) makes while a test file runs, and leaves them in the run's folder for the IAM
 * proof that runs when the whole suite is done (test/support/iam-proof.ts).
 */
const counts = new Map<string, number>();
const stop = observeCalls(({ piece, action }) => {
  if (!piece) return;
  const key = `${piece}\t${action}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
});

afterAll(() => {
  stop();
  if (counts.size === 0) return;
  const calls = [...counts].map(([key, count]) => {
    const [piece, action] = key.split('\t') as [string, string];
    return { piece, action, count };
  });
  const dir = inject('sdkCallsDir');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${process.pid}-${randomUUID()}.json`), JSON.stringify(calls));
});
