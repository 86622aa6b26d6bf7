import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { defaultCatalog } from '../catalog';
import type { Catalog } from '../engine/catalog';
import type { AnyPolicy } from '../engine/definitions';
import { FRAMEWORK_IDS, FRAMEWORKS } from '../engine/frameworks';
import { markdownCell, typeOf, type JsonSchema } from './config-keys';

export const POLICIES_DOC = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../docs/policies.md',
);

const cell = markdownCell;

function parameterRows(policy: AnyPolicy): string[] {
  const schema = z.toJSONSchema(policy.parameters, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return ['_No parameters._'];
  return [
    '| parameter | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...props.map(
      ([name, p]) =>
        `| \`${name}\` | ${cell(typeOf(p))} | ${p.default === undefined ? '(none)' : `\`${cell(JSON.stringify(p.default))}\``} | ${cell(p.description ?? '')} |`,
    ),
  ];
}

function controlsText(policy: AnyPolicy): string {
  return FRAMEWORK_IDS.map((framework) => {
    const ids = policy.controls.filter((c) => c.framework === framework).map((c) => c.id);
    return ids.length
      ? `${FRAMEWORKS[framework].title} ${ids.map((id) => `\`${id}\``).join(', ')}`
      : '';
  })
    .filter(Boolean)
    .join('; ');
}

/** docs/policies.md, generated from the catalog: the metadata each policy declares. */
export function renderPoliciesDoc(catalog: Catalog = defaultCatalog()): string {
  const policies = [...catalog.policies.values()].sort((a, b) => a.id.localeCompare(b.id));
  const lines = [
    '# Policies',
    '',
    '<!-- Generated from the catalog by `npm run docs` (src/docs/generate-policies.ts). Do not edit: a test fails when this file is stale. -->',
    '',
    '| id | title | severity | pillar | resource type | default mode | remediator |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...policies.map(
      (p) =>
        `| [\`${p.id}\`](#${p.id}) | ${cell(p.title)} | ${p.severity} | ${p.pillar} | \`${p.resourceType}\` | ${p.defaultMode} | ${p.remediatorId ? `\`${p.remediatorId}\`` : 'none'} |`,
    ),
  ];
  for (const p of policies) {
    const type = catalog.resourceTypes.get(p.resourceType)!;
    const remediator = p.remediatorId ? catalog.remediators.get(p.remediatorId) : undefined;
    lines.push(
      '',
      `## ${p.id}`,
      '',
      `**${p.title}**`,
      '',
      p.description,
      '',
      `_Why:_ ${p.rationale}`,
      '',
      `- Severity: ${p.severity}; Well-Architected pillar: ${p.pillar}`,
      `- Controls: ${controlsText(p)}`,
      `- Resource type: \`${p.resourceType}\`${type.configResourceTypes ? ` (AWS Config: ${type.configResourceTypes.map((t) => `\`${t}\``).join(', ')})` : ''}`,
      `- Triggers (CloudTrail \`${type.eventSource}\`): ${p.triggers.map((t) => `\`${t}\``).join(', ')}`,
      `- Default mode: \`${p.defaultMode}\``,
      remediator
        ? `- Remediator: \`${remediator.id}\` — ${remediator.description} IAM actions: write ${remediator.iamActions.write.map((a) => `\`${a}\``).join(', ')}; read ${remediator.iamActions.read.map((a) => `\`${a}\``).join(', ') || 'none'}`
        : '- Remediator: none (no in-place remediation exists; the decision is `notify`)',
      '',
      '### Parameters',
      '',
      ...parameterRows(p),
    );
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(POLICIES_DOC, renderPoliciesDoc());
  process.stdout.write(`wrote ${POLICIES_DOC}\n`);
}
