import { writeFileSync } from 'node:fs';
import { AwsClients } from '../aws/clients';
import { defaultCatalog } from '../catalog';
import { loadConfig } from '../config';
import { digestHtml } from '../digest/html';
import { digestSourcesFor, makeDigest } from '../digest/run';
import { digestText } from '../digest/text';
import { errorMessage } from '../errors';
import { CliUsageError, EXIT, oneOf } from './usage';

/** `rampart digest`: the compliance digest from the history table; read-only. */
export async function digestCommand(opts: {
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
