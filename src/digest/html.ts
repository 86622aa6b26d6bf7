import type { FrameworkSection } from './frameworks';
import type { Digest } from './model';
import { periodText, sweepOpenText, timeToRevertText, withChange } from './text';

/** Every piece of data that reaches the page goes through this. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Bars shown per chart; the rest are summed into one "others" bar. */
export const MAX_BARS = 15;

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
main{max-width:1080px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.muted{color:#5b6475}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:16px}
.card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:12px 16px;min-width:150px}
.card b{display:block;font-size:22px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
figure{background:#fff;border:1px solid #dde1e8;border-radius:8px;margin:0;padding:12px}
figcaption{font-weight:600;margin-bottom:6px}
svg{display:block;width:100%;height:auto}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1e8}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eceef2;vertical-align:top}
th{background:#eef0f4;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.up{color:#b42318}.down{color:#067647}
h3{font-size:14px;margin:16px 0 6px}
.failing{color:#b42318;font-weight:600}.passing{color:#067647}.not-evaluated{color:#5b6475}
`;

function trendChart(trend: Digest['trend']): string {
  const w = 480;
  const h = 220;
  const pad = { left: 40, right: 16, top: 16, bottom: 40 };
  const max = Math.max(1, ...trend.map((t) => t.open));
  const x = (i: number) =>
    pad.left + (trend.length === 1 ? 0.5 : i / (trend.length - 1)) * (w - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - v / max) * (h - pad.top - pad.bottom);
  const points = trend.map((t, i) => `${x(i).toFixed(1)},${y(t.open).toFixed(1)}`).join(' ');
  const labels = trend
    .map((t, i) =>
      i === 0 || i === trend.length - 1 || trend.length <= 6
        ? `<text x="${x(i).toFixed(1)}" y="${h - pad.bottom + 18}" text-anchor="${trend.length > 1 && i === 0 ? 'start' : trend.length > 1 && i === trend.length - 1 ? 'end' : 'middle'}" font-size="11" fill="#5b6475">${escapeHtml(t.at.slice(0, 10))}</text>`
        : '',
    )
    .join('');
  const dots = trend
    .map(
      (t, i) =>
        `<circle cx="${x(i).toFixed(1)}" cy="${y(t.open).toFixed(1)}" r="3.5" fill="#2f5bd3"><title>${escapeHtml(t.at)}: ${t.open} open</title></circle>`,
    )
    .join('');
  return `<svg class="chart" data-chart="trend" viewBox="0 0 ${w} ${h}" role="img" aria-label="Open violations at each digest">
<line x1="${pad.left}" y1="${y(0)}" x2="${w - pad.right}" y2="${y(0)}" stroke="#9aa3b2"/>
<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${y(0)}" stroke="#9aa3b2"/>
<text x="${pad.left - 6}" y="${pad.top + 4}" text-anchor="end" font-size="11" fill="#5b6475">${max}</text>
<text x="${pad.left - 6}" y="${y(0) + 4}" text-anchor="end" font-size="11" fill="#5b6475">0</text>
<polyline points="${points}" fill="none" stroke="#2f5bd3" stroke-width="2"/>${dots}${labels}
</svg>`;
}

/** Sums open violations by a key, largest first, the tail folded into "others". */
export function barsBy(
  rows: Digest['rows'],
  key: (r: Digest['rows'][number]) => string,
): { label: string; value: number }[] {
  const sums = new Map<string, number>();
  for (const r of rows) if (r.open > 0) sums.set(key(r), (sums.get(key(r)) ?? 0) + r.open);
  const bars = [...sums]
    .map(([label, value]) => ({ label, value }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  if (bars.length <= MAX_BARS) return bars;
  const rest = bars.slice(MAX_BARS - 1);
  return [
    ...bars.slice(0, MAX_BARS - 1),
    {
      label: `${rest.length} others`,
      value: rest.reduce((n, b) => n + b.value, 0),
    },
  ];
}

function barChart(name: string, label: string, bars: { label: string; value: number }[]): string {
  const w = 480;
  const rowH = 24;
  const labelW = 190;
  const h = Math.max(1, bars.length) * rowH + 8;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const body =
    bars.length === 0
      ? `<text x="8" y="20" font-size="12" fill="#5b6475">No open violations</text>`
      : bars
          .map((b, i) => {
            const y = 4 + i * rowH;
            const bw = ((w - labelW - 50) * b.value) / max;
            // Long ids differ at the end: keep both ends.
            const text =
              b.label.length > 28 ? `${b.label.slice(0, 12)}…${b.label.slice(-15)}` : b.label;
            return `<g><title>${escapeHtml(b.label)}: ${b.value}</title><text x="${labelW - 6}" y="${y + 15}" text-anchor="end" font-size="12">${escapeHtml(text)}</text><rect class="bar" x="${labelW}" y="${y + 3}" width="${bw.toFixed(1)}" height="${rowH - 8}" rx="2" fill="#d6523c"/><text x="${(labelW + bw + 6).toFixed(1)}" y="${y + 15}" font-size="12">${b.value}</text></g>`;
          })
          .join('');
  return `<svg class="chart" data-chart="${escapeHtml(name)}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeHtml(label)}">${body}</svg>`;
}

function changeCell(now: number, before: number | undefined): string {
  const text = escapeHtml(withChange(now, before));
  if (before === undefined || before === now) return text;
  return `<span class="${now > before ? 'up' : 'down'}">${text}</span>`;
}

function table(headers: string[], rows: string[][], numeric: number[] = []): string {
  if (rows.length === 0) return '<p class="muted">None.</p>';
  const th = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (cells) =>
        `<tr>${cells.map((c, i) => `<td${numeric.includes(i) ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const CONTROL_COLOURS = { failing: '#d6523c', passing: '#3c9d5d', 'not-evaluated': '#c3c8d2' };
const STATUS_TEXT = { failing: 'failing', passing: 'passing', 'not-evaluated': 'not evaluated' };

/** One bar per framework: its controls failing, passing and not evaluated, in proportion. */
function controlsBar(f: FrameworkSection): string {
  const w = 640;
  const total = f.failing + f.passing + f.notEvaluated;
  let x = 0;
  const parts = (['failing', 'passing', 'not-evaluated'] as const)
    .map((status) => {
      const n =
        status === 'failing' ? f.failing : status === 'passing' ? f.passing : f.notEvaluated;
      if (n === 0 || total === 0) return '';
      const width = (n / total) * w;
      const rect = `<rect class="control-${status}" x="${x.toFixed(1)}" y="0" width="${width.toFixed(1)}" height="18" fill="${CONTROL_COLOURS[status]}"><title>${n} ${STATUS_TEXT[status]}</title></rect>`;
      x += width;
      return rect;
    })
    .join('');
  return `<svg class="chart" data-chart="framework-${escapeHtml(f.framework)}" viewBox="0 0 ${w} 18" role="img" aria-label="${escapeHtml(`${f.title}: ${f.failing} failing, ${f.passing} passing, ${f.notEvaluated} not evaluated`)}">${parts}</svg>`;
}

/** Per framework: the bar, the counts and every control with the policies that check it. */
function frameworksHtml(frameworks: readonly FrameworkSection[]): string {
  if (frameworks.length === 0) return '<p class="muted">No policy declares framework controls.</p>';
  return frameworks
    .map(
      (f) => `<h3>${escapeHtml(f.title)}</h3>
<p class="muted">${f.failing} failing · ${f.passing} passing · ${f.notEvaluated} not evaluated</p>
${controlsBar(f)}
${table(
  ['Control', 'Status', 'Open', 'Policies'],
  f.controls.map((c) => [
    escapeHtml(c.id),
    `<span class="${c.status}">${escapeHtml(STATUS_TEXT[c.status])}</span>`,
    escapeHtml(c.open),
    escapeHtml(c.policies.join(', ')),
  ]),
  [2],
)}`,
    )
    .join('\n');
}

/**
 * The digest as one self-contained HTML page: inline CSS and SVG, no script, and a
 * Content-Security-Policy that forbids loading anything, so it opens the same offline.
 */
export function digestHtml(digest: Digest): string {
  const { totals } = digest;
  const cards = [
    ['Open violations', changeCell(totals.open, totals.previousOpen)],
    ['Reverted', escapeHtml(totals.reverted)],
    ['Exceptions granted / denied', `${totals.granted} / ${totals.denied}`],
    ['Expiring within 7 days', escapeHtml(totals.expiringSoon)],
    ['Time to revert', escapeHtml(timeToRevertText(totals.timeToRevert))],
    ['Drift reverted by the sweep', escapeHtml(sweepOpenText(totals.sweepOpenAtMost))],
  ]
    .map(
      ([k, v]) => `<div class="card"><span class="muted">${escapeHtml(k)}</span><b>${v}</b></div>`,
    )
    .join('');
  const rows = digest.rows.map((r) => [
    escapeHtml(r.policy),
    escapeHtml(r.account),
    changeCell(r.open, r.previousOpen),
    escapeHtml(r.reverted),
    escapeHtml(r.granted),
    escapeHtml(r.denied),
    escapeHtml(r.expiringSoon),
    escapeHtml(timeToRevertText(r.timeToRevert)),
  ]);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Rampart compliance digest ${escapeHtml(digest.to.slice(0, 10))}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Rampart compliance digest</h1>
<p class="muted">${escapeHtml(periodText(digest))} · generated ${escapeHtml(digest.generatedAt)}${
    digest.sweep
      ? ` · open violations from the sweep of ${escapeHtml(digest.sweep.startedAt)} (${escapeHtml(digest.sweep.resources)} resources, ${escapeHtml(digest.sweep.notApplicable)} not applicable)`
      : ' · no sweep has run yet'
  }</p>
<section class="cards">${cards}</section>
<h2>Charts</h2>
<div class="charts">
<figure><figcaption>Open violations over time</figcaption>${trendChart(digest.trend)}</figure>
<figure><figcaption>Open violations by policy</figcaption>${barChart(
    'by-policy',
    'Open violations by policy',
    barsBy(digest.rows, (r) => r.policy),
  )}</figure>
<figure><figcaption>Open violations by account</figcaption>${barChart(
    'by-account',
    'Open violations by account',
    barsBy(digest.rows, (r) => r.account),
  )}</figure>
</div>
<h2>Framework controls</h2>
<p class="muted">From the sweep: a control fails while a policy that checks it has open violations, passes when judged with none, and is not evaluated otherwise.</p>
${frameworksHtml(digest.frameworks)}
<h2>By policy and account</h2>
${table(['Policy', 'Account', 'Open', 'Reverted', 'Granted', 'Denied', 'Expiring', 'Time to revert'], rows, [2, 3, 4, 5, 6])}
<h2>Top actors causing violations</h2>
${table(
  ['Actor', 'Violations'],
  digest.topActors.map((a) => [escapeHtml(a.actor), escapeHtml(a.violations)]),
  [1],
)}
<h2>Accounts in their grace period (notify only)</h2>
${table(
  ['Account', 'Enforced from'],
  digest.grace.map((g) => [escapeHtml(g.account), escapeHtml(g.until)]),
)}
<h2>Exceptions expiring within 7 days</h2>
${table(
  ['Expires', 'Policy', 'Account', 'Scope', 'Exception'],
  digest.expiring.map((e) => [
    escapeHtml(e.expiresAt),
    escapeHtml(e.policy),
    escapeHtml(e.account),
    escapeHtml(e.scope),
    escapeHtml(e.id),
  ]),
)}
</main>
</body>
</html>
`;
}
