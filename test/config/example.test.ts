import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultCatalog } from '../../src/catalog';
import { loadConfig, parseConfig } from '../../src/config';
import { configKeys } from '../../src/docs/config-keys';
import { REPO_ROOT } from '../support/samples';

const EXAMPLE = join(REPO_ROOT, 'rampart.config.example.yaml');
const catalog = defaultCatalog();

/**
 * Keys of the schema the example does not show: neither as a key at its path, nor as a
 * commented-out `# key:` line (optional keys without a default are shown that way).
 */
function missingKeys(text: string): string[] {
  const doc = parse(text) as unknown;
  const present = (path: string) => {
    let v = doc;
    for (const key of path.split('.')) {
      if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return false;
      v = (v as Record<string, unknown>)[key];
    }
    return true;
  };
  const commented = (key: string) =>
    new RegExp(`#.*(?:^|[\\s{,])${key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}:`, 'm').test(text);
  return configKeys(catalog)
    .map((k) => k.path)
    .filter((path) => !present(path) && !commented(path.split('.').pop()!));
}

describe('rampart.config.example.yaml', () => {
  const text = readFileSync(EXAMPLE, 'utf8');

  it('is valid and states exactly the defaults', () => {
    const example = loadConfig(catalog, EXAMPLE, {});
    expect(example).toEqual(parseConfig({}, catalog));
  });

  it('shows every key of the schema (as a key, or commented out when it has no default)', () => {
    expect(missingKeys(text)).toEqual([]);
  });

  it('the check fails when a key is left out', () => {
    const without = text.replace(/^ {4}concurrency: .*\n/m, '');
    expect(without).not.toBe(text);
    expect(missingKeys(without)).toEqual(['compliance.sweep.concurrency']);
    const noPolicy = text.replace(/^ {2}rds-encrypted:\n(?: {4}.*\n)+/m, '');
    expect(missingKeys(noPolicy)).toEqual(
      expect.arrayContaining(['policies.rds-encrypted', 'policies.rds-encrypted.mode']),
    );
  });
});
