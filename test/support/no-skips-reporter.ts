import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { defaultCatalog } from '../../src/catalog';
import {
  SDK_CALLS_DIR_ENV,
  clearObservedCalls,
  iamProofProblems,
  readObservedCalls,
} from './iam-proof';

export const SUMMARY_FILE = 'test/.artifacts/summary.txt';

/**
 * Fails the run when any test is skipped or left as a todo — a skipped integration test is
 * not a passing one — and ends with a plain `tests: N passed, N failed` line (also written
 * to test/.artifacts/summary.txt for CI to repeat as its closing line).
 */
export default class NoSkipsReporter implements Reporter {
  /** `iamProof`: after the run, check the SDK calls each registry piece sent (iam-proof.ts). */
  constructor(private readonly options: { iamProof?: boolean } = {}) {}

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
    if (this.options.iamProof) {
      // The proof is one more check of the run: it passes or fails like a test.
      const ran = new Set(testModules.map((m) => relative(process.cwd(), m.moduleId)));
      const unrun = testFiles('test').filter((f) => !ran.has(f));
      const complete = unrun.length === 0;
      const dir = process.env[SDK_CALLS_DIR_ENV];
      const observed = dir ? readObservedCalls(dir) : [];
      if (dir) clearObservedCalls(dir);
      const problems = iamProofProblems(defaultCatalog(), observed, complete);
      if (problems.length > 0) {
        failed++;
        process.stderr.write(
          `\nIAM proof: declared actions and sent calls differ:\n  ${problems.join('\n  ')}\n`,
        );
        process.exitCode = 1;
      } else {
        passed++;
        process.stdout.write(
          `\nIAM proof: every SDK call was declared by its piece${complete ? ', every declared action was sent' : ` (a partial run, ${unrun.length} file(s) not run: unsent actions not checked)`}\n`,
        );
      }
    }
    const summary = `tests: ${passed} passed, ${failed + skipped.length} failed`;
    mkdirSync('test/.artifacts', { recursive: true });
    writeFileSync(SUMMARY_FILE, `${summary}\n`);
    process.stdout.write(`\n${summary}\n`);
  }
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith('.test.ts') ? [relative(process.cwd(), resolve(path))] : [];
  });
}
