import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_SETTINGS, EVALUATOR_ENTRY, SOURCE_MAP_ENV } from '../infra/bundling';

/**
 * The evaluator bundle: its size and its cold-start cost, bundled exactly as the stack does
 * (shared settings in infra/bundling.ts). Cold start = importing the bundle and handling a
 * first event (which builds the catalog, configuration, clients and logger) in a fresh Node
 * process, timed inside that process.
 */
const SIZE_TARGET_BYTES = 1024 * 1024;
const COLD_START_TARGET_MS = 150;
const RUNS = 25;

export async function bundleEvaluator(outdir: string): Promise<string> {
  const outfile = join(outdir, 'index.mjs');
  await build({
    entryPoints: [EVALUATOR_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    target: BUNDLE_SETTINGS.target,
    format: BUNDLE_SETTINGS.format,
    minify: BUNDLE_SETTINGS.minify,
    sourcemap: BUNDLE_SETTINGS.sourceMap,
    sourcesContent: BUNDLE_SETTINGS.sourcesContent,
    mainFields: BUNDLE_SETTINGS.mainFields,
    banner: { js: BUNDLE_SETTINGS.banner },
    external: BUNDLE_SETTINGS.externalModules,
    alias: BUNDLE_SETTINGS.alias,
    logLevel: 'error',
  });
  return outfile;
}

// Runs in the fresh process: import, then handle one event that needs no AWS call.
const PROBE = `
const t0 = performance.now();
const { handler } = await import(process.argv[2]);
await handler({ version: '0', id: 'bench', 'detail-type': 'Scheduled Event', source: 'aws.events',
  account: '123456789012', region: 'us-east-1', time: new Date().toISOString(), resources: [], detail: {} });
process.stderr.write('RAMPART_INIT_MS=' + (performance.now() - t0) + '\\n');
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function coldStarts(
  probe: string,
  bundle: string,
  extraEnv: Record<string, string>,
): { initMs: number[]; processMs: number[] } {
  const env = {
    PATH: process.env.PATH,
    ...extraEnv,
    AWS_REGION: 'us-east-1',
    RAMPART_CONFIG_JSON: '{}',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  const initMs: number[] = [];
  const processMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const child = spawnSync(process.execPath, [probe, pathToFileURL(bundle).href], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    processMs.push(performance.now() - started);
    const match = /RAMPART_INIT_MS=([\d.]+)/.exec(child.stderr ?? '');
    if (child.status !== 0 || !match) {
      throw new Error(`cold-start probe failed (exit ${child.status}): ${child.stderr}`);
    }
    initMs.push(Number(match[1]));
  }
  return { initMs, processMs };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bundle-'));
  try {
    const bundle = await bundleEvaluator(dir);
    const bytes = statSync(bundle).size;
    const probe = join(dir, 'probe.mjs');
    writeFileSync(probe, PROBE);
    const plain = coldStarts(probe, bundle, {});
    const mapped = coldStarts(probe, bundle, SOURCE_MAP_ENV);
    const rows = [
      ['metric', 'value', 'target', 'ok'],
      [
        'evaluator bundle (minified)',
        `${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} B)`,
        '<= 1 MB',
        bytes <= SIZE_TARGET_BYTES ? 'yes' : 'NO',
      ],
      [
        `cold start: import + init + first event (median of ${RUNS})`,
        `${median(plain.initMs).toFixed(1)} ms`,
        `<= ${COLD_START_TARGET_MS} ms`,
        median(plain.initMs) <= COLD_START_TARGET_MS ? 'yes' : 'NO',
      ],
      [
        `  same, whole fresh node process (median of ${RUNS})`,
        `${median(plain.processMs).toFixed(1)} ms`,
        '-',
        '-',
      ],
      [
        `  same with --enable-source-maps (evaluator.sourceMaps: true)`,
        `${median(mapped.initMs).toFixed(1)} ms`,
        '-',
        '-',
      ],
    ];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    console.log(
      '\nEvaluator bundle (esbuild, as deployed: ESM, minified, source maps, SDK bundled)',
    );
    for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
