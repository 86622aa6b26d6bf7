import { Writable } from 'node:stream';
import { createRampart } from '../app';
import { AwsClients } from '../aws/clients';
import {
  SCAN_FORMATS,
  toScanJson,
  toScanSarif,
  toScanTable,
  type ScanFormat,
} from '../sweep/format';
import { toScanOcsf } from '../sweep/ocsf';
import { Sweeper } from '../sweep/sweep';
import { TtyProgress } from './progress';

/** Exit codes of `scan`: 0 clean, 1 violations remain, 2 usage or access errors. */
export const SCAN_EXIT = { clean: 0, violations: 1, errors: 2 } as const;

export interface ScanOptions {
  region: string[];
  remediate?: boolean;
  format: ScanFormat;
  config?: string;
  version: string;
}

export { SCAN_FORMATS };

/**
 * `rampart scan`: sweeps the configured accounts (default: the credentials') in the given regions with every enabled
 * policy. Read-only unless `--remediate` (then each policy acts per its mode and the run's
 * snapshot goes to the history table when one is configured).
 */
export async function scanCommand(opts: ScanOptions): Promise<number> {
  const remediate = opts.remediate === true;
  // Read-only: the audit trail of dry-run decisions is noise, and nobody is notified.
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const clients = new AwsClients({ retryMode: 'adaptive' });
  const rampart = createRampart({
    configPath: opts.config,
    clients,
    logStream: remediate ? process.stderr : sink,
    ...(remediate ? {} : { reporters: [] }),
  });
  const { config, catalog, evaluator, history } = rampart;
  const progress = process.stderr.isTTY ? new TtyProgress(process.stderr) : undefined;
  try {
    const sweeper = new Sweeper({ catalog, config, clients, evaluator, history });
    const { findings, summary } = await sweeper.run({
      regions: opts.region,
      remediate,
      record: remediate,
      ...(progress ? { progress } : {}),
    });
    progress?.done();
    const report = { findings, summary };
    const out =
      opts.format === 'json'
        ? toScanJson(report)
        : opts.format === 'sarif'
          ? JSON.stringify(toScanSarif(report, catalog, opts.version), null, 2)
          : opts.format === 'ocsf'
            ? JSON.stringify(toScanOcsf(report, catalog, opts.version), null, 2)
            : toScanTable(report);
    process.stdout.write(`${out}\n`);
    for (const e of report.summary.errors) {
      process.stderr.write(
        `rampart: ${e.resourceType} in ${e.account}/${e.region}: ${e.message}\n`,
      );
    }
    if (report.summary.errors.length > 0) return SCAN_EXIT.errors;
    const open = report.findings.some((f) => f.status === 'violation' || f.status === 'failed');
    return open ? SCAN_EXIT.violations : SCAN_EXIT.clean;
  } finally {
    clients.destroy();
  }
}
