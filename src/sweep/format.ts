import type { Log, Result } from 'sarif';
import { policyRules, SARIF_SCHEMA } from '../check/format';
import type { Catalog } from '../engine/catalog';
import type { SweepFinding, SweepReport, SweepSummary } from './model';

export { SCAN_FORMATS, type ScanFormat } from './format-names';

/** The stable JSON contract of `rampart scan --format json`. */
export function toScanJson(report: SweepReport): string {
  const findings = report.findings.map((f) => ({
    policy: f.policy,
    resourceType: f.resourceType,
    resourceId: f.resourceId,
    arn: f.arn,
    account: f.account,
    region: f.region,
    status: f.status,
    message: f.message,
  }));
  return JSON.stringify({ findings, summary: report.summary }, null, 2);
}

function levelOf(f: SweepFinding, severity: string | undefined): Result.level {
  if (f.status === 'reverted') return 'none';
  if (f.status === 'failed') return 'error';
  return severity === 'low' ? 'note' : severity === 'medium' ? 'warning' : 'error';
}

/** SARIF 2.1.0: the same rules as `check`; results located by the resource's ARN. */
export function toScanSarif(report: SweepReport, catalog: Catalog, version: string): Log {
  const rules = policyRules(catalog);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = report.findings.map((f) => ({
    ruleId: f.policy,
    ruleIndex: ruleIndex.get(f.policy),
    level: levelOf(f, catalog.policies.get(f.policy)?.severity),
    kind: f.status === 'reverted' ? 'pass' : 'fail',
    message: { text: `${f.resourceId} (${f.resourceType}): ${f.message}` },
    locations: [
      {
        logicalLocations: [{ name: f.resourceId, kind: 'resource', fullyQualifiedName: f.arn }],
      },
    ],
    ...(f.status === 'excepted'
      ? { suppressions: [{ kind: 'external' as const, justification: f.message }] }
      : {}),
    properties: { status: f.status, account: f.account, region: f.region },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'Rampart', version, rules } }, results }],
  };
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** Counts per policy and account, then one line of totals (and any listing error). */
export function summaryTable(summary: SweepSummary): string {
  const rows = summary.byPolicyAccount.map((r) => [
    r.policy,
    r.account,
    String(r.resources),
    String(r.compliant),
    String(r.notApplicable),
    String(r.violations),
    String(r.excepted),
    String(r.reverted),
    String(r.failed),
    String(r.drift),
  ]);
  const lines = table(
    [
      'policy',
      'account',
      'resources',
      'compliant',
      'n/a',
      'violations',
      'excepted',
      'reverted',
      'failed',
      'drift',
    ],
    rows,
  );
  const s = summary;
  lines.push(
    `${s.resources} resource(s) in ${s.accounts.join(', ') || 'no account'} / ${s.regions.join(', ') || 'no region'} (${s.source}${s.remediate ? ', remediating' : ', read-only'}) in ${(s.durationMs / 1000).toFixed(2)} s: ${s.violations} violation(s), ${s.excepted} excepted, ${s.reverted} reverted, ${s.failed} failed, ${s.drift} drift, ${s.notApplicable} not applicable`,
  );
  for (const e of s.errors)
    lines.push(`error: ${e.resourceType} in ${e.account}/${e.region}: ${e.message}`);
  return lines.join('\n');
}

/** The human format: one line per finding, then the summary table. */
export function toScanTable(report: SweepReport): string {
  const findings = table(
    ['status', 'policy', 'resource', 'account', 'region', 'message'],
    report.findings.map((f) => [f.status, f.policy, f.resourceId, f.account, f.region, f.message]),
  );
  return [...(report.findings.length ? [...findings, ''] : []), summaryTable(report.summary)].join(
    '\n',
  );
}
