import { createRampart } from '../app';
import { replay, replayFiles, type ReplayRow } from '../simulate';
import { EXIT, oneOf } from './usage';

function replayTable(rows: ReplayRow[]): string {
  const header = ['file', '#', 'event', 'status', 'detail'];
  const cells = rows.map((r) => [r.file, String(r.index), r.eventName ?? '?', r.status, r.detail]);
  const widths = header
    .slice(0, 4)
    .map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    [...c.slice(0, 4).map((x, i) => x.padEnd(widths[i]!)), c[4]].join('  ');
  const counts = ['handled', 'skipped', 'malformed', 'failed'].map(
    (s) => `${rows.filter((r) => r.status === s).length} ${s}`,
  );
  return [line(header), ...cells.map(line), `${rows.length} event(s): ${counts.join(', ')}`].join(
    '\n',
  );
}

/** `rampart simulate`: CloudTrail events (envelopes or log files) replayed through the evaluator. */
export async function simulateCommand(
  paths: string[],
  opts: { dryRun?: boolean; config?: string; format: string },
): Promise<number> {
  const format = oneOf('--format', opts.format, ['table', 'json'] as const);
  const files = paths.flatMap((p) => replayFiles(p));
  const rampart = createRampart({ configPath: opts.config, logStream: process.stderr });
  try {
    const rows = await replay(rampart.evaluator, files, { dryRun: opts.dryRun });
    process.stdout.write(
      `${
        format === 'json'
          ? JSON.stringify(
              rows.map(({ result: _r, ...row }) => row),
              null,
              2,
            )
          : replayTable(rows)
      }\n`,
    );
    return rows.some((r) => r.status === 'failed') ? EXIT.problem : EXIT.ok;
  } finally {
    rampart.clients.destroy();
  }
}
