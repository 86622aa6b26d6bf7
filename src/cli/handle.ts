import { createRampart } from '../app';
import { needsRetry } from '../engine/evaluator';
import { errorMessage } from '../errors';
import { INPUT_LIMITS, InputTooLargeError, readBoundedFile } from '../io/bounded-read';
import { CliUsageError, EXIT } from './usage';

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

/** `rampart handle`: one event through the evaluator, as the Lambda would. */
export async function handleCommand(
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
