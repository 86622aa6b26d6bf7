import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './samples';

/**
 * Validates OCSF output against test/fixtures/ocsf/compliance_finding-1.1.0.schema.json
 * (transcribed from the OCSF 1.1.0 dictionary; see docs/testing.md for why it is not the
 * published export). Returns the problems, empty when valid.
 */
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(
  JSON.parse(
    readFileSync(
      join(REPO_ROOT, 'test/fixtures/ocsf/compliance_finding-1.1.0.schema.json'),
      'utf8',
    ),
  ) as object,
);

export function ocsfProblems(finding: unknown): string[] {
  if (validate(finding)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
