import { Logger } from '@aws-lambda-powertools/logger';
import { AwsClients } from '../aws/clients';
import { defaultCatalog } from '../catalog';
import { loadConfig, type RampartConfig } from '../config';
import { publishDigestToSns } from '../digest/email';
import { digestRecordOf } from '../digest/model';
import { digestSourcesFor, makeDigest } from '../digest/run';
import { postDigestToSlack } from '../digest/slack';
import { errorMessage } from '../errors';
import { HISTORY_TABLE_ACTIONS } from '../history/store';
import { loadSlackCredentials } from '../slack/credentials';
import { createSlackClient } from '../slack/reporter';
import { slackClientOptionsFromEnv } from '../slack/wiring';
import type { WebClient } from '@slack/web-api';

/**
 * IAM actions the digest function needs, by resource, for the infrastructure to grant:
 * read and append its history, read exception decisions, post, publish, read the token.
 */
export const DIGEST_HANDLER_ACTIONS = {
  historyTable: HISTORY_TABLE_ACTIONS.filter((a) => a !== 'dynamodb:BatchWriteItem'),
  exceptionsTable: ['dynamodb:Scan'],
  digestTopic: ['sns:Publish'],
  slackSecret: ['secretsmanager:GetSecretValue'],
} as const satisfies Record<string, readonly string[]>;

export type DeliveryStatus = 'delivered' | 'not-configured' | 'failed';

export interface DigestRunResult {
  generatedAt: string;
  from: string;
  to: string;
  open: number;
  slack: DeliveryStatus;
  sns: DeliveryStatus;
}

export interface DigestHandlerDeps {
  config: RampartConfig;
  clients: AwsClients;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** A ready Slack client (tests); otherwise built from the Slack secret on first use. */
  slackClient?: WebClient;
  now?: () => number;
}

/**
 * The scheduled digest: compute from the history, post to Slack and publish to SNS (each
 * when configured; a failed delivery is logged and does not stop the other), then store the
 * digest record the next one trends against.
 */
export function createDigestHandler(deps: DigestHandlerDeps) {
  const env = deps.env ?? process.env;
  const logger = deps.logger ?? new Logger({ serviceName: 'rampart-digest' });
  const now = deps.now ?? Date.now;
  const { config, clients } = deps;
  const channel = config.compliance.digest.slackChannel ?? config.slack?.channel;
  const topic = config.compliance.digest.snsTopicArn;

  async function deliver(name: string, configured: boolean, send: () => Promise<unknown>) {
    if (!configured) return 'not-configured' as const;
    try {
      await send();
      return 'delivered' as const;
    } catch (error) {
      logger.error(`digest not delivered to ${name}`, { error: errorMessage(error) });
      return 'failed' as const;
    }
  }

  return async (_event?: unknown): Promise<DigestRunResult> => {
    const sources = digestSourcesFor(config, clients, env);
    const digest = await makeDigest(config, sources, new Date(now()).toISOString());
    const slack = await deliver('slack', channel !== undefined, async () => {
      const client =
        deps.slackClient ??
        createSlackClient(
          (await loadSlackCredentials(clients, env)).botToken,
          slackClientOptionsFromEnv(env),
        );
      await postDigestToSlack(client, channel!, digest);
    });
    const sns = await deliver('sns', topic !== undefined, () =>
      publishDigestToSns(clients, topic!, digest),
    );
    await sources.history.putDigest(digestRecordOf(digest));
    const result = {
      generatedAt: digest.generatedAt,
      from: digest.from,
      to: digest.to,
      open: digest.totals.open,
      slack,
      sns,
    };
    logger.info('digest done', { ...result });
    return result;
  };
}

let defaultHandler: ReturnType<typeof createDigestHandler> | undefined;

/** Lambda entry point (an EventBridge Scheduler target): wiring is built once per environment. */
export const handler = (event: unknown) => {
  defaultHandler ??= createDigestHandler({
    config: loadConfig(defaultCatalog()),
    clients: new AwsClients(),
  });
  return defaultHandler(event);
};
