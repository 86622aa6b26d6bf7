import { createRampart } from '../app';
import { AwsClients } from '../aws/clients';
import { defaultCatalog } from '../catalog';
import { loadConfig } from '../config';
import type { SlackCredentials } from './credentials';
import { createSlackClient } from './reporter';
import { humanLoopFromEnv, slackClientOptionsFromEnv } from './wiring';

/**
 * The evaluator and the Slack app sharing one Slack client, so the credentials are read
 * once per process (cold start), not again by the notice reporter.
 */
export function rampartForSlack(
  credentials: SlackCredentials,
  options: {
    configPath?: string;
    logStream?: NodeJS.WritableStream;
    clients?: AwsClients;
    env?: NodeJS.ProcessEnv;
  } = {},
) {
  const env = options.env ?? process.env;
  const catalog = defaultCatalog();
  const config = loadConfig(catalog, options.configPath, env);
  const clients = options.clients ?? new AwsClients();
  const slackClient = createSlackClient(credentials.botToken, slackClientOptionsFromEnv(env));
  const humanLoop = humanLoopFromEnv({ catalog, config, clients, env, slackClient });
  return createRampart({ config, clients, humanLoop, logStream: options.logStream });
}
