import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policies } from '../policies';
import { emulatorGaps } from '../src/demo/scenarios';
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
      .map((p) => p.id)
      .filter((id) => !(id in emulatorGaps));
    // A policy the emulator cannot revert is named with the reason, never silently left out.
    for (const [id, why] of Object.entries(emulatorGaps)) {
      expect(run.stdout).toContain(`▶ ${id} — not shown: ${why}`);
    }
    for (const id of enforced) {
      expect(run.stdout).toMatch(
        new RegExp(`outcome\\s+reverted \\[${id}\\] — time-to-revert \\d+ ms`),
      );
    }
    expect(run.stdout).toContain('already-compliant (idempotent)');
    expect(run.stdout).toMatch(
      new RegExp(`Summary: \\d+ scenario\\(s\\), ${enforced.length} reverted, 0 failed`),
    );

    // Then the scan summary: a read-only sweep of the whole demo account after the reverts.
    const scan = run.stdout.slice(run.stdout.indexOf('▶ Scan'));
    expect(scan).toMatch(
      /\d+ resource\(s\) in 123456789012 \/ us-east-1 \(describe, read-only\) in [\d.]+ s: \d+ violation\(s\), 1 excepted, 0 reverted, 0 failed/,
    );
    const rows = new Map(
      // policy, account, resources, compliant, n/a, violations, excepted, ...
      [
        ...scan.matchAll(
          /^\s+([a-z0-9-]+)\s+123456789012\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/gm,
        ),
      ].map((m) => [
        m[1]!,
        {
          resources: Number(m[2]),
          notApplicable: Number(m[4]),
          violations: Number(m[5]),
          excepted: Number(m[6]),
        },
      ]),
    );
    // Every policy judged something; the Slack flow's exception shows as excepted.
    for (const p of policies.filter((p) => p.id !== 'rds-encrypted')) {
      expect(rows.get(p.id)?.resources, p.id).toBeGreaterThan(0);
    }
    expect(rows.get('sg-no-public-ingress')).toMatchObject({ violations: 0, excepted: 1 });
    // What the events reverted stays reverted: no violation left for those resources.
    for (const id of ['lambda-has-dlq', 'eventbridge-target-has-dlq', 'sns-subscription-has-dlq']) {
      expect(rows.get(id)?.violations, id).toBe(0);
    }
    expect(scan).toMatch(/^ {2}excepted {2}sg-no-public-ingress: .* Excepted: exception exc-/m);
  });
});
