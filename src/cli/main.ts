import { Command, CommanderError } from 'commander';
import { CHECK_FORMATS } from '../check/format-names';
import { errorMessage } from '../errors';
import { SCAN_FORMATS } from '../sweep/format-names';
import { CliUsageError, EXIT, oneOf, USAGE_ERROR_NAMES } from './usage';
import { rampartVersion } from './version';

export { EXIT, CliUsageError };

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/*
 * Each command's module is imported only when that command runs: `rampart --help` (or a
 * typo) loads commander and this file, not the AWS SDK, bolt or the HTML report.
 */

export function buildProgram(): Command {
  const program = new Command('rampart')
    .description('Compliance-as-code remediation for AWS')
    .version(rampartVersion(), '-V, --version')
    .option('--debug', 'on an unexpected error, print its stack trace (mapped to the TypeScript)')
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
      const { handleCommand } = await import('./handle');
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
        const { checkCommand } = await import('./check');
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
        const { simulateCommand } = await import('./simulate');
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
        const { scanCommand } = await import('./scan');
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
      const { digestCommand } = await import('./digest');
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
    const name = error instanceof Error ? error.name : '';
    const known = USAGE_ERROR_NAMES.has(name);
    process.stderr.write(`rampart: ${known ? (error as Error).message : errorMessage(error)}\n`);
    if (!known && argv.includes('--debug') && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    }
    return known ? EXIT.usage : EXIT.problem;
  }
}
