import { relative, sep } from 'node:path';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Catalog } from '../engine/catalog';
import { controlKey, requirementOf } from '../engine/frameworks';
import { SUPPRESSION_RULE, type CheckFinding, type CheckReport } from './index';

export { CHECK_FORMATS, type CheckFormat } from './format-names';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function levelOf(f: CheckFinding): Result.level {
  if (f.status === 'not-applicable') return 'none';
  if (f.status === 'unknown') return 'warning';
  if (f.status === 'error') return 'error';
  return f.severity === 'low' ? 'note' : f.severity === 'medium' ? 'warning' : 'error';
}

export function uriOf(file: string, baseDir: string): string {
  const rel = relative(baseDir, file);
  return (rel.startsWith('..') ? file : rel).split(sep).join('/');
}

/** One SARIF rule per catalog policy (shared by `check` and `scan`). */
export function policyRules(catalog: Catalog): ReportingDescriptor[] {
  return [...catalog.policies.values()].map((p) => ({
    id: p.id,
    name: p.id,
    shortDescription: { text: p.title },
    fullDescription: { text: p.description },
    help: { text: p.rationale },
    properties: {
      severity: p.severity,
      pillar: p.pillar,
      controls: p.controls.map(requirementOf),
      tags: [...new Set(['security', p.pillar, ...p.controls.map(controlKey)])],
    },
  }));
}

/** SARIF 2.1.0 for code scanning: one rule per policy, results located by file, line and logical id. */
export function toSarif(
  report: CheckReport,
  catalog: Catalog,
  version: string,
  baseDir = process.cwd(),
): Log {
  const rules = policyRules(catalog);
  rules.push({
    id: SUPPRESSION_RULE,
    name: SUPPRESSION_RULE,
    shortDescription: { text: 'Suppressions must name a policy and give a reason' },
    fullDescription: {
      text: 'Metadata.rampart.suppress entries need an id that is a policy id and a non-empty reason.',
    },
  });
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = report.findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId),
    level: levelOf(f),
    kind:
      f.status === 'unknown' ? 'review' : f.status === 'not-applicable' ? 'notApplicable' : 'fail',
    message: { text: `${f.logicalId} (${f.cfnType}): ${f.message}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uriOf(f.file, baseDir) },
          region: { startLine: f.line },
        },
        logicalLocations: [
          {
            name: f.logicalId,
            kind: 'resource',
            fullyQualifiedName: `${f.cfnType}/${f.logicalId}`,
          },
        ],
      },
    ],
    ...(f.status === 'suppressed'
      ? { suppressions: [{ kind: 'inSource' as const, justification: f.suppressionReason }] }
      : {}),
    properties: { status: f.status },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'Rampart', version, rules } }, results }],
  };
}

export function toText(report: CheckReport): string {
  // Not-applicable pairs are only counted: nothing to read or fix.
  const lines = report.findings
    .filter((f) => f.status !== 'not-applicable')
    .map((f) => {
      const where = `${f.file}:${f.line}`;
      const extra = f.status === 'suppressed' ? ` (suppressed: ${f.suppressionReason})` : '';
      return `${where}  ${f.logicalId} (${f.cfnType})  ${f.status.toUpperCase()} ${f.ruleId} [${f.severity}]  ${f.message}${extra}`;
    });
  const s = report.summary;
  lines.push(
    `${s.resourcesJudged} resource(s) judged in ${s.templates} template(s): ${s.violations} violation(s), ${s.unknown} unknown, ${s.errors} error(s), ${s.suppressed} suppressed, ${s.notApplicable} not applicable`,
  );
  return lines.join('\n');
}
