import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { createRampart } from '../app';
import { ConfigError } from '../config';
import { needsRetry } from '../engine/evaluator';
import { errorMessage } from '../errors';
import { MalformedEventError } from '../events/errors';

/** Exit codes shared by every command: 0 success, 1 a problem found or not fixed, 2 bad input. */
export const EXIT = { ok: 0, problem: 1, usage: 2 } as const;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
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
    const result = await rampart.evaluator.handleEvent(event, { dryRun: opts.dryRun });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return needsRetry(result) ? EXIT.problem : EXIT.ok;
  } finally {
    rampart.clients.destroy();
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
      error instanceof CliUsageError ||
      error instanceof MalformedEventError ||
      error instanceof ConfigError ||
      (error as Error).name === 'SlackCredentialsError' ||
      (error as Error).name === 'SlackWiringError';
    process.stderr.write(`rampart: ${known ? (error as Error).message : errorMessage(error)}\n`);
    return known ? EXIT.usage : EXIT.problem;
  }
}
