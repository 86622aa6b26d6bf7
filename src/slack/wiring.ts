import type { WebClient, WebClientOptions } from '@slack/web-api';
import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import type { Catalog } from '../engine/catalog';
import type { Reporter } from '../engine/evaluator';
import { SchedulerDeadlines, type ApprovalDeadlines } from '../exceptions/deadline';
import { ExceptionStore } from '../exceptions/store';
import { EXCEPTIONS_TABLE, type TableRef } from '../exceptions/table';
import { SnsReporter } from '../notices/sns';
import { loadSlackCredentials } from './credentials';
import { NoticeStore } from './notices';
import { SlackReporter, createSlackClient } from './reporter';

/*
 * No import of @slack/bolt here: the evaluator composes the human loop from this module,
 * and bolt (with express and its body parsers) would triple the evaluator's bundle. The
 * bolt app is wired in ./app-wiring.ts.
 */

/** Environment the deployed functions receive from the stack (names, never secrets). */
export const HUMAN_LOOP_ENV = {
  table: EXCEPTIONS_TABLE.env,
  topic: 'RAMPART_NOTICES_TOPIC_ARN',
  deadlineTarget: 'RAMPART_APPROVAL_TARGET_ARN',
  schedulerRole: 'RAMPART_SCHEDULER_ROLE_ARN',
  scheduleGroup: 'RAMPART_SCHEDULE_GROUP',
  deadlineDlq: 'RAMPART_APPROVAL_DLQ_ARN',
  evaluatorFunction: 'RAMPART_EVALUATOR_FUNCTION_ARN',
  /** Web API base URL when not https://slack.com/api/ (GovSlack: https://slack-gov.com/api/). */
  slackApiUrl: 'RAMPART_SLACK_API_URL',
} as const;

/** Web API client overrides from the environment (only the base URL). */
export function slackClientOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): WebClientOptions {
  const url = env[HUMAN_LOOP_ENV.slackApiUrl];
  return url ? { slackApiUrl: url.endsWith('/') ? url : `${url}/` } : {};
}

export class SlackWiringError extends Error {
  override readonly name = 'SlackWiringError';
  constructor(
    message: string,
    readonly missing: string,
  ) {
    super(message);
  }
}

export interface HumanLoop {
  exceptions?: ExceptionStore;
  notices?: NoticeStore;
  approvals?: ApprovalDeadlines;
  slack?: SlackReporter;
  reporters: Reporter[];
}

export interface HumanLoopInputs {
  catalog: Catalog;
  config: RampartConfig;
  clients: AwsClients;
  env?: NodeJS.ProcessEnv;
  /** A ready client (tests, the demo); otherwise built from the credentials on first use. */
  slackClient?: WebClient;
  slackClientOptions?: WebClientOptions;
}

function tableOf(env: NodeJS.ProcessEnv): TableRef | undefined {
  const name = env[HUMAN_LOOP_ENV.table];
  return name ? { name, region: env.AWS_REGION ?? 'us-east-1' } : undefined;
}

/**
 * Exceptions, approval deadlines and notices as the environment configures them; each
 * piece is absent when its variable is, so the evaluator runs without any of them.
 */
export function humanLoopFromEnv(inputs: HumanLoopInputs): HumanLoop {
  const env = inputs.env ?? process.env;
  const { clients, catalog, config } = inputs;
  const table = tableOf(env);
  const loop: HumanLoop = { reporters: [] };
  if (table) {
    loop.exceptions = new ExceptionStore(clients, table);
    loop.notices = new NoticeStore(clients, table);
  }
  const target = env[HUMAN_LOOP_ENV.deadlineTarget];
  const role = env[HUMAN_LOOP_ENV.schedulerRole];
  if (target && role) {
    loop.approvals = new SchedulerDeadlines(clients, {
      targetArn: target,
      roleArn: role,
      groupName: env[HUMAN_LOOP_ENV.scheduleGroup],
      deadLetterArn: env[HUMAN_LOOP_ENV.deadlineDlq],
      deadlineMinutes: config.slack?.approvalDeadlineMinutes ?? 15,
    });
  }
  if (config.slack && loop.notices) {
    let client: Promise<WebClient> | undefined =
      inputs.slackClient && Promise.resolve(inputs.slackClient);
    loop.slack = new SlackReporter({
      // Credentials are read once per cold start, when the first notice goes out.
      client: () =>
        (client ??= loadSlackCredentials(clients, env).then((c) =>
          createSlackClient(
            c.botToken,
            inputs.slackClientOptions ?? slackClientOptionsFromEnv(env),
          ),
        )).catch((error: unknown) => {
          client = undefined;
          throw error;
        }),
      channel: config.slack.channel,
      notices: loop.notices,
      catalog,
    });
    loop.reporters.push(loop.slack);
  }
  const topic = env[HUMAN_LOOP_ENV.topic];
  if (topic) loop.reporters.push(new SnsReporter(clients, topic, catalog));
  return loop;
}
