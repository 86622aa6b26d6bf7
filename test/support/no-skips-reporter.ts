import type { Reporter, TestModule } from 'vitest/node';

/**
 * Fails the run when any test is skipped or left as a todo: a skipped integration test
 * is not a passing one, and CI must say so.
 */
export default class NoSkipsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        if (test.result().state === 'skipped') skipped.push(`${mod.moduleId} > ${test.fullName}`);
      }
    }
    if (skipped.length > 0) {
      process.stderr.write(
        `\n${skipped.length} test(s) were skipped; skipping is not allowed:\n  ${skipped.join('\n  ')}\n`,
      );
      process.exitCode = 1;
    }
  }
}
