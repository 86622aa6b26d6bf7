import { Command, CommanderError } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRampart } from '../app';
import { defaultCatalog } from '../catalog';
import { checkTemplates } from '../check';
import { CHECK_FORMATS, toSarif, toText, type CheckFormat } from '../check/format';
import { loadTemplates, TemplateError } from '../cloudformation/template';
import { INPUT_LIMITS, InputTooLargeError, readBoundedFile } from '../io/bounded-read';
import { ConfigError, loadConfig } from '../config';
import { AwsClients } from '../aws/clients';
import { digestHtml } from '../digest/html';
import { DigestError } from '../digest/model';
import { digestSourcesFor, makeDigest } from '../digest/run';
import { digestText } from '../digest/text';
import { needsRetry } from '../engine/evaluator';
import { errorMessage } from '../errors';
import { MalformedEventError } from '../events/errors';
import { SCAN_FORMATS, scanCommand } from './scan';
import { replay, replayFiles, ReplayInputError, type ReplayRow } from '../simulate';

/** Exit codes shared by every command: 0 success, 1 a problem found or not fixed, 2 bad input. */
export const EXIT = { ok: 0, problem: 1, usage: 2 } as const;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readBoundedFile(path, INPUT_LIMITS.event, 'an event').toString('utf8');
  } catch (error) {
    if (error instanceof InputTooLargeError) throw new CliUsageError(error.message);
    throw new CliUsageError(`cannot read ${path}: ${errorMessage(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

async function handleCommand(
  file: string,
  opts: { dryRun?: boolean; config?: string },
): Promise<number> {
  const event = readJsonFile(file);
  if (
    typeof event === 'object' &&
    event !== null &&
    Array.isArray((event as { Records?: unknown }).Records)
  ) {
    throw new CliUsageError(
      `${file} is a CloudTrail log file (Records[]); 'handle' takes one event`,
    );
  }
  const rampart = createRampart({ configPath: opts.config, logStream: process.stderr });
  try {
    const result = await rampart.evaluator.handleEvent(event, {
      dryRun: opts.dryRun,
      trustBareRecords: true,
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return needsRetry(result) ? EXIT.problem : EXIT.ok;
  } finally {
    rampart.clients.destroy();
  }
}

function rampartVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new CliUsageError(
      `${name} ${JSON.stringify(value)} is not allowed; allowed: ${allowed.join(', ')}`,
    );
  }
  return value as T;
}

async function checkCommand(
  paths: string[],
  opts: { format: string; config?: string; failOnUnknown?: boolean },
): Promise<number> {
  const format = oneOf<CheckFormat>('--format', opts.format, CHECK_FORMATS);
  const catalog = defaultCatalog();
  const config = loadConfig(catalog, opts.config);
  const templates = paths.flatMap((p) => loadTemplates(p));
  const report = checkTemplates(templates, catalog, config);
  const out =
    format === 'sarif'
      ? JSON.stringify(toSarif(report, catalog, rampartVersion()), null, 2)
      : format === 'json'
        ? JSON.stringify(report, null, 2)
        : toText(report);
  process.stdout.write(`${out}\n`);
  const { violations, errors, unknown } = report.summary;
  return violations + errors > 0 || (opts.failOnUnknown && unknown > 0) ? EXIT.problem : EXIT.ok;
}

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

async function simulateCommand(
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

async function digestCommand(opts: {
  format: string;
  html?: string;
  config?: string;
  now?: string;
}): Promise<number> {
  const format = oneOf('--format', opts.format, ['text', 'json'] as const);
  const now = opts.now ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(now))) {
    throw new CliUsageError(`--now ${JSON.stringify(opts.now)} is not an ISO-8601 time`);
  }
  const config = loadConfig(defaultCatalog(), opts.config);
  const clients = new AwsClients();
  try {
    const digest = await makeDigest(
      config,
      digestSourcesFor(config, clients),
      new Date(now).toISOString(),
    );
    if (opts.html) {
      try {
        writeFileSync(opts.html, digestHtml(digest));
      } catch (error) {
        throw new CliUsageError(`cannot write ${opts.html}: ${errorMessage(error)}`);
      }
      process.stderr.write(`rampart: HTML report written to ${opts.html}\n`);
    }
    process.stdout.write(
      format === 'json' ? `${JSON.stringify(digest, null, 2)}\n` : digestText(digest),
    );
    return EXIT.ok;
  } finally {
    clients.destroy();
  }
}

export function buildProgram(): Command {
  const program = new Command('rampart')
    .description('Compliance-as-code remediation for AWS')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program
    .command('handle')
    .description(
      'Handle one EventBridge event (or bare CloudTrail record) as the evaluator Lambda would; prints the decisions and outcomes as JSON',
    )
    .argument('<event.json>', 'file with the event')
    .option('--dry-run', 'decide and report, but write nothing to AWS')
    .option('-c, --config <path>', 'configuration file (default: rampart.config.yaml if present)')
    .action(async (file: string, opts: { dryRun?: boolean; config?: string }) => {
      process.exitCode = await handleCommand(file, opts);
    });
  program
    .command('check')
    .description(
      'Judge CloudFormation templates (JSON or YAML) or a cdk.out directory with the enabled policies, before deploying',
    )
    .argument('<paths...>', 'template files or cdk.out directories')
    .option('-f, --format <format>', `output format: ${CHECK_FORMATS.join(', ')}`, 'text')
    .option('-c, --config <path>', 'configuration file (default: rampart.config.yaml if present)')
    .option('--fail-on-unknown', 'exit 1 also when a resource cannot be judged from the template')
    .action(
      async (
        paths: string[],
        opts: { format: string; config?: string; failOnUnknown?: boolean },
      ) => {
        process.exitCode = await checkCommand(paths, opts);
      },
    );
  program
    .command('simulate')
    .description(
      'Replay CloudTrail events (EventBridge envelopes, or log files as delivered to S3, gzipped or not) through the evaluator',
    )
    .argument('<paths...>', 'files or directories of .json / .json.gz')
    .option('--dry-run', 'decide and report, but write nothing to AWS')
    .option('-f, --format <format>', 'output format: table, json', 'table')
    .option('-c, --config <path>', 'configuration file (default: rampart.config.yaml if present)')
    .action(
      async (paths: string[], opts: { dryRun?: boolean; config?: string; format: string }) => {
        process.exitCode = await simulateCommand(paths, opts);
      },
    );
  program
    .command('scan')
    .description(
      "Sweep the configured accounts (default: the credentials' account) with every enabled policy (read-only unless --remediate); exit 0 clean, 1 violations remain, 2 usage or access errors",
    )
    .option(
      '-r, --region <region>',
      'region to scan (repeat for more; default: compliance.sweep.regions, else AWS_REGION)',
      (value: string, previous: string[]) => {
        if (!REGION.test(value))
          throw new CliUsageError(
            `--region ${JSON.stringify(value)} is not an AWS region (such as eu-west-1)`,
          );
        return [...previous, value];
      },
      [] as string[],
    )
    .option('--remediate', 'act on violations per each policy mode (default: read-only)')
    .option('-f, --format <format>', `output format: ${SCAN_FORMATS.join(', ')}`, 'table')
    .option('-c, --config <path>', 'configuration file (default: rampart.config.yaml if present)')
    .action(
      async (opts: { region: string[]; remediate?: boolean; format: string; config?: string }) => {
        const format = oneOf('--format', opts.format, SCAN_FORMATS);
        process.exitCode = await scanCommand({ ...opts, format, version: rampartVersion() });
      },
    );
  program
    .command('digest')
    .description(
      'Print the compliance digest (open violations, reverts, exceptions, time to revert, top actors, trend) from the history table; read-only',
    )
    .option('-f, --format <format>', 'output format: text, json', 'text')
    .option('--html <file>', 'also write the self-contained HTML report (charts) to this file')
    .option('--now <time>', 'make the digest as of this ISO-8601 time (default: now)')
    .option('-c, --config <path>', 'configuration file (default: rampart.config.yaml if present)')
    .action(async (opts: { format: string; html?: string; config?: string; now?: string }) => {
      process.exitCode = await digestCommand(opts);
    });
  program
    .command('slack')
    .description(
      'Run the Slack app locally (events, interactivity and /rampart on /slack/events); needs SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN and RAMPART_EXCEPTIONS_TABLE',
    )
    .requiredOption('-p, --port <port>', 'port to listen on', (v) => {
      const port = Number(v);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new CliUsageError(`--port must be a port number (1-65535), got ${JSON.stringify(v)}`);
      return port;
    })
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('-c, --config <path>', 'configuration file (default: rampart.config.yaml if present)')
    .action(async (opts: { port: number; host: string; config?: string }) => {
      const { startLocalSlackApp } = await import('../slack/local');
      const server = await startLocalSlackApp({ ...opts, configPath: opts.config });
      process.stderr.write(`rampart: Slack app listening on ${server.url}\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      await server.stop();
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  process.exitCode = EXIT.ok;
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const known =
      [
        CliUsageError,
        MalformedEventError,
        ConfigError,
        TemplateError,
        ReplayInputError,
        DigestError,
      ].some((cls) => error instanceof cls) ||
      ['SlackCredentialsError', 'SlackWiringError'].includes((error as Error).name);
    process.stderr.write(`rampart: ${known ? (error as Error).message : errorMessage(error)}\n`);
    return known ? EXIT.usage : EXIT.problem;
  }
}
