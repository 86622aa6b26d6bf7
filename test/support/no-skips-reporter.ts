import { mkdirSync, writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export const SUMMARY_FILE = 'test/.artifacts/summary.txt';

/**
 * Fails the run when any test is skipped or left as a todo — a skipped integration test is
 * not a passing one — and ends with a plain `tests: N passed, N failed` line (also written
 * to test/.artifacts/summary.txt for CI to repeat as its closing line).
 */
export default class NoSkipsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    let passed = 0;
    let failed = 0;
    for (const mod of testModules) {
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++; // a file that did not load
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'skipped') skipped.push(`${mod.moduleId} > ${test.fullName}`);
        else if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
      }
    }
    if (skipped.length > 0) {
      process.stderr.write(
        `\n${skipped.length} test(s) were skipped; skipping is not allowed:\n  ${skipped.join('\n  ')}\n`,
      );
      process.exitCode = 1;
    }
    const summary = `tests: ${passed} passed, ${failed + skipped.length} failed`;
    mkdirSync('test/.artifacts', { recursive: true });
    writeFileSync(SUMMARY_FILE, `${summary}\n`);
    process.stdout.write(`\n${summary}\n`);
  }
}
