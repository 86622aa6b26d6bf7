import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policies } from '../policies';
import { REPO_ROOT } from './support/samples';

describe('npm run demo', () => {
  it('reverts one violation per enforce-mode policy on its own moto account, then exits 0', () => {
    const run = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/demo/main.ts'],
      {
        cwd: REPO_ROOT,
        // The demo starts its own emulator: it must not depend on the test server's endpoint.
        env: { ...process.env, AWS_ENDPOINT_URL: '', NO_COLOR: '1' },
        encoding: 'utf8',
        timeout: 90_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const enforced = policies
      .filter((p) => p.defaultMode === 'enforce' && p.remediatorId)
      .map((p) => p.id);
    for (const id of enforced) {
      expect(run.stdout).toMatch(
        new RegExp(`outcome\\s+reverted \\[${id}\\] — time-to-revert \\d+ ms`),
      );
    }
    expect(run.stdout).toContain('already-compliant (idempotent)');
    expect(run.stdout).toMatch(
      new RegExp(`Summary: \\d+ scenario\\(s\\), ${enforced.length} reverted, 0 failed`),
    );
  });
});
