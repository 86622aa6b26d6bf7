import { readFileSync } from 'node:fs';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog';
import {
  CONFIGURATION_DOC,
  EXAMPLE_CONFIG,
  README,
  exampleModeError,
  renderConfigurationDoc,
  renderExampleConfig,
  renderPolicyTable,
  renderReadme,
  renderSweepDoc,
  SWEEP_DOC,
} from '../../src/docs/generate-reference';

const catalog = defaultCatalog();

/** What `npm run docs` writes: the rendering, formatted as the repository formats it. */
async function asWritten(path: string, text: string): Promise<string> {
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(text, { ...options, filepath: path });
}

describe('generated reference (run `npm run docs` after changing a policy or the schema)', () => {
  it("README's policy table is the catalog's", async () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toBe(await asWritten(README, renderReadme(readme, catalog)));
    for (const policy of catalog.policies.values()) {
      expect(renderPolicyTable(catalog)).toContain(`[\`${policy.id}\`]`);
    }
  });

  it('docs/configuration.md is the schema, with every key and its default', async () => {
    expect(readFileSync(CONFIGURATION_DOC, 'utf8')).toBe(
      await asWritten(CONFIGURATION_DOC, renderConfigurationDoc(catalog)),
    );
    const doc = renderConfigurationDoc(catalog);
    expect(doc).toContain('| `compliance.sweep.concurrency` | integer | `16` |');
    expect(doc).toContain('| `policies.sqs-has-dlq.parameters.maxReceiveCount` | integer | `5` |');
    expect(doc).toContain('| `slack.approvalDeadlineMinutes` |');
  });

  it('quotes the error a bad mode really gets, naming every mode', () => {
    expect(exampleModeError(catalog)).toBe(
      'policies.sg-no-public-ingress.mode: invalid value; allowed: "enforce"|"approve"|"notify"|"dry-run"',
    );
  });

  it("the example's policies block lists every policy", async () => {
    const example = readFileSync(EXAMPLE_CONFIG, 'utf8');
    expect(example).toBe(await asWritten(EXAMPLE_CONFIG, renderExampleConfig(example, catalog)));
    for (const policy of catalog.policies.values()) expect(example).toContain(`  ${policy.id}:\n`);
  });

  it("docs/sweep.md's read actions are the registry's", async () => {
    const doc = readFileSync(SWEEP_DOC, 'utf8');
    expect(doc).toBe(await asWritten(SWEEP_DOC, renderSweepDoc(doc, catalog)));
    expect(doc).toContain('`s3:ListAllMyBuckets`');
  });
});
