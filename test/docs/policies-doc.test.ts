import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defaultCatalog } from '../../src/catalog';
import { Catalog } from '../../src/engine/catalog';
import { POLICIES_DOC, renderPoliciesDoc } from '../../src/docs/generate-policies';

describe('docs/policies.md', () => {
  it('is what `npm run docs` generates from the catalog (run it after changing a policy)', () => {
    expect(readFileSync(POLICIES_DOC, 'utf8')).toBe(renderPoliciesDoc());
  });

  it('lists every policy with its metadata, triggers and parameter defaults', () => {
    const doc = renderPoliciesDoc();
    for (const policy of defaultCatalog().policies.values()) {
      expect(doc).toContain(`## ${policy.id}\n`);
      expect(doc).toContain(policy.rationale);
      for (const trigger of policy.triggers) expect(doc).toContain(`\`${trigger}\``);
    }
    expect(doc).toContain(
      '| `maxReceiveCount` | integer | `5` | maxReceiveCount of the RedrivePolicy Rampart sets. |',
    );
    expect(doc).toContain(
      '- Remediator: none (no in-place remediation exists; the decision is `notify`)',
    );
  });

  it('changes when a policy changes, so a stale file is caught', () => {
    const catalog = defaultCatalog();
    const sqs = catalog.policies.get('sqs-has-dlq')!;
    const changed = new Catalog({
      resourceTypes: [...catalog.resourceTypes.values()],
      remediators: [...catalog.remediators.values()],
      policies: [...catalog.policies.values()].map((p) =>
        p === sqs
          ? { ...sqs, parameters: z.strictObject({ maxReceiveCount: z.number().default(9) }) }
          : p,
      ),
    });
    expect(renderPoliciesDoc(changed)).not.toBe(renderPoliciesDoc());
    expect(renderPoliciesDoc(changed)).toContain('| `maxReceiveCount` | number | `9` |');
  });
});
