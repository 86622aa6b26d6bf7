import { AwsClients } from '../aws/clients';
import { loadSlackCredentials } from './credentials';
import { rampartForSlack } from './runtime';
import { localReceiver, refusalLog, slackAppFromEnv } from './app-wiring';

/**
 * `rampart slack --port N`: the Slack app on bolt's HTTP receiver (default path
 * /slack/events). Resolves once listening; the returned function stops it.
 */
export async function startLocalSlackApp(options: {
  port: number;
  host?: string;
  configPath?: string;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const clients = new AwsClients();
  const credentials = await loadSlackCredentials(clients);
  const rampart = rampartForSlack(credentials, {
    clients,
    configPath: options.configPath,
    logStream: process.stderr,
  });
  const receiver = localReceiver(credentials.signingSecret, refusalLog(rampart.audit));
  const app = slackAppFromEnv({ ...rampart, credentials, receiver, loop: rampart.humanLoop });
  const host = options.host ?? '127.0.0.1';
  await receiver.start({ port: options.port, host });
  return {
    url: `http://${host}:${options.port}/slack/events`,
    async stop() {
      await app.stop();
      rampart.clients.destroy();
    },
  };
}
