import { formatDuration } from '../notices/notice';
import type { FrameworkSection } from './frameworks';
import type { Digest, DigestRow, TimeToRevert } from './model';

/** "3 (▲1 since the last digest)", "3 (no change)", or just "3" without a previous digest. */
export function withChange(now: number, before: number | undefined, arrows = true): string {
  if (before === undefined) return String(now);
  const delta = now - before;
  if (delta === 0) return `${now} (no change)`;
  const sign = arrows ? (delta > 0 ? '▲' : '▼') : delta > 0 ? '+' : '-';
  return `${now} (${sign}${Math.abs(delta)})`;
}

export function timeToRevertText(t: TimeToRevert): string {
  if (t.p50Ms === undefined || t.p95Ms === undefined) return 'no reverts';
  return `p50 ${formatDuration(t.p50Ms)}, p95 ${formatDuration(t.p95Ms)} (${t.samples} revert${t.samples === 1 ? '' : 's'})`;
}

/** The sweep's own measure: how long drift stayed open at most (never mixed into time to revert). */
export function sweepOpenText(t: TimeToRevert): string {
  if (t.p50Ms === undefined || t.p95Ms === undefined) return 'none';
  return `${t.samples}, open at most p50 ${formatDuration(t.p50Ms)}, p95 ${formatDuration(t.p95Ms)} (since the previous sweep)`;
}

export function periodText(digest: Digest): string {
  const day = (iso: string) => iso.replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC');
  return `${day(digest.from)} to ${day(digest.to)} (${digest.schedule})`;
}

/** One row as a line of plain text (e-mail, terminal). */
export function rowText(r: DigestRow, arrows = true): string {
  return [
    `${r.policy} in ${r.account}:`,
    `open ${withChange(r.open, r.previousOpen, arrows)},`,
    `reverted ${r.reverted},`,
    `exceptions granted ${r.granted} / denied ${r.denied},`,
    `expiring ${r.expiringSoon},`,
    `time to revert ${timeToRevertText(r.timeToRevert)}`,
  ].join(' ');
}

/** "AWS Foundational Security Best Practices: 2 passing, 1 failing (EC2.19: 3 open), 0 not evaluated". */
export function frameworkText(f: FrameworkSection): string {
  const failing = f.controls.filter((c) => c.status === 'failing');
  const list = failing.length
    ? ` (${failing.map((c) => `${c.id}: ${c.open} open`).join(', ')})`
    : '';
  return `${f.title}: ${f.passing} passing, ${f.failing} failing${list}, ${f.notEvaluated} not evaluated`;
}

export function overflowLine(hidden: number, what: string): string {
  return `… and ${hidden} more ${what}${hidden === 1 ? '' : 's'}`;
}

/**
 * The digest as plain text, `maxRows` policy/account rows and expiring exceptions at most
 * (the rest summarized in one line each). `ascii` keeps to ASCII arrows for mail clients that mangle others.
 */
export function digestText(digest: Digest, options: { maxRows?: number; ascii?: boolean } = {}) {
  const arrows = !options.ascii;
  const { totals } = digest;
  const maxRows = options.maxRows ?? digest.rows.length;
  const shown = digest.rows.slice(0, maxRows);
  const lines = [
    `Rampart compliance digest, ${periodText(digest)}`,
    digest.sweep
      ? `Open violations from the sweep of ${digest.sweep.startedAt} (${digest.sweep.resources} resources, ${digest.sweep.notApplicable} not applicable).`
      : 'No sweep has run yet: open violations are unknown (0 shown).',
    '',
    `Open violations: ${withChange(totals.open, totals.previousOpen, arrows)}`,
    `Reverted since the last digest: ${totals.reverted}`,
    `Exceptions granted: ${totals.granted}, denied: ${totals.denied}, expiring within 7 days: ${totals.expiringSoon}`,
    `Time to revert: ${timeToRevertText(totals.timeToRevert)}`,
    `Drift reverted by the sweep: ${sweepOpenText(totals.sweepOpenAtMost)}`,
    '',
    'By policy and account:',
    ...(shown.length === 0
      ? ['  (nothing to report)']
      : shown.map((r) => `  ${rowText(r, arrows)}`)),
    ...(digest.rows.length > shown.length
      ? [`  ${overflowLine(digest.rows.length - shown.length, 'policy/account row')}`]
      : []),
    '',
    'Top actors causing violations:',
    ...(digest.topActors.length === 0
      ? ['  (none)']
      : digest.topActors.map((a) => `  ${a.actor}: ${a.violations}`)),
    '',
    'Exceptions expiring within 7 days:',
    ...(digest.expiring.length === 0
      ? ['  (none)']
      : digest.expiring
          .slice(0, maxRows)
          .map((e) => `  ${e.expiresAt} ${e.policy} ${e.scope} (${e.id})`)),
    ...(digest.expiring.length > maxRows
      ? [`  ${overflowLine(digest.expiring.length - maxRows, 'expiring exception')}`]
      : []),
    '',
    'Accounts in their grace period (notify only):',
    ...(digest.grace.length === 0
      ? ['  (none)']
      : digest.grace.slice(0, maxRows).map((g) => `  ${g.account} until ${g.until}`)),
    ...(digest.grace.length > maxRows
      ? [`  ${overflowLine(digest.grace.length - maxRows, 'account in grace')}`]
      : []),
    '',
    'Framework controls (from the sweep):',
    ...(digest.frameworks.length === 0
      ? ['  (none)']
      : digest.frameworks.map((f) => `  ${frameworkText(f)}`)),
    '',
    'Trend (open violations at each digest):',
    ...digest.trend.map((t) => `  ${t.at}: ${t.open}`),
  ];
  return `${lines.join('\n')}\n`;
}
