import type { SQSBatchResponse } from 'aws-lambda';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditRecord } from '../../src/audit';
import type { createEvaluatorHandler } from '../../src/handlers/evaluator';
import { sqsEvent, sqsRecord } from './reliability';
import { REPO_ROOT } from './samples';

export const BAD_INPUT_DIR = join(REPO_ROOT, 'test/fixtures/bad-input');

export type Expectation =
  'skipped' | 'dead-letter' | 'not-found' | 'handled' | 'skipped-or-dead-letter';

export interface BadInputCase {
  file: string;
  description: string;
  expect: Expectation;
  /** Skip code, for `skipped`. */
  code?: string;
  /** Text the logged reason must contain, for `dead-letter`. */
  reason?: string;
  /** The issue whose work will change how this case is handled. */
  pendingIssue?: number;
  body: string;
}

export function loadBadInput(): { cases: BadInputCase[]; files: string[] } {
  const manifest = JSON.parse(readFileSync(join(BAD_INPUT_DIR, 'manifest.json'), 'utf8')) as {
    cases: Omit<BadInputCase, 'body'>[];
  };
  const files = readdirSync(BAD_INPUT_DIR).filter((f) => f.endsWith('.body'));
  return {
    files,
    cases: manifest.cases.map((c) => ({
      ...c,
      body: readFileSync(join(BAD_INPUT_DIR, c.file), 'utf8'),
    })),
  };
}

export type Observed =
  | { kind: 'dead-letter'; reason: string }
  | { kind: 'skipped'; code: string; reason: string }
  | { kind: 'not-found' }
  | { kind: 'handled' }
  | { kind: 'unaccounted' }
  | { kind: 'crash'; error: string };

/**
 * Sends one body through the SQS-batch handler alone and says what became of it, from the
 * batch response and the audit records it produced.
 */
export async function observe(
  handler: ReturnType<typeof createEvaluatorHandler>,
  audit: AuditRecord[],
  body: string,
): Promise<Observed> {
  const from = audit.length;
  let response: SQSBatchResponse;
  try {
    response = (await handler(sqsEvent([sqsRecord(body)]))) as SQSBatchResponse;
  } catch (error) {
    return { kind: 'crash', error: String(error) };
  }
  const mine = audit.slice(from);
  if (response.batchItemFailures.length > 0) {
    const failed = mine.find((r) => r.audit === 'record-failed');
    return failed
      ? { kind: 'dead-letter', reason: String(failed.reason) }
      : { kind: 'unaccounted' };
  }
  const skipped = mine.find((r) => r.audit === 'skipped');
  if (skipped)
    return { kind: 'skipped', code: String(skipped.code), reason: String(skipped.reason) };
  if (mine.some((r) => r.audit === 'not-found')) return { kind: 'not-found' };
  if (mine.some((r) => r.audit === 'outcome' || r.audit === 'evaluation-error')) {
    return { kind: 'handled' };
  }
  return { kind: 'unaccounted' };
}

/** Whether what happened is what the corpus expects of the case. */
export function meetsExpectation(c: BadInputCase, o: Observed): boolean {
  switch (c.expect) {
    case 'skipped':
      return o.kind === 'skipped' && (!c.code || o.code === c.code) && o.reason.length > 0;
    case 'dead-letter':
      return o.kind === 'dead-letter' && (!c.reason || o.reason.includes(c.reason));
    case 'not-found':
      return o.kind === 'not-found';
    case 'handled':
      return o.kind === 'handled';
    case 'skipped-or-dead-letter':
      return (o.kind === 'skipped' && o.reason.length > 0) || o.kind === 'dead-letter';
  }
}
