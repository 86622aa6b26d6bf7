import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { HTTPReceiver, type App, type Receiver } from '@slack/bolt';
import type { WebClient, WebClientOptions } from '@slack/web-api';
import type { AuditLog } from '../audit';
import type { AwsClients } from '../aws/clients';
import type { RampartConfig } from '../config';
import type { Catalog } from '../engine/catalog';
import type { Evaluator, Reporter } from '../engine/evaluator';
import {
  SchedulerDeadlines,
  approvalDeadlineEvent,
  type ApprovalDeadline,
  type ApprovalDeadlines,
} from '../exceptions/deadline';
import { ExceptionStore } from '../exceptions/store';
import { EXCEPTIONS_TABLE, type TableRef } from '../exceptions/table';
import { SnsReporter } from '../notices/sns';
import { createSlackApp, type SlackAppDeps } from './app';
import { loadSlackCredentials, type SlackCredentials } from './credentials';
import { NoticeStore } from './notices';
import { SlackReporter, createSlackClient } from './reporter';

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

/** "Revert now" in AWS: an asynchronous invoke of the evaluator, so Slack gets its ack in time. */
export function invokeEvaluator(clients: AwsClients, functionArn: string) {
  const region = functionArn.split(':')[3] ?? 'us-east-1';
  return async (deadline: ApprovalDeadline): Promise<void> => {
    await clients.get(LambdaClient, { region }).send(
      new InvokeCommand({
        FunctionName: functionArn,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(approvalDeadlineEvent(deadline))),
      }),
    );
  };
}

/** "Revert now" locally: the evaluator runs in this process. */
export function evaluateInProcess(evaluator: Evaluator) {
  return async (deadline: ApprovalDeadline): Promise<void> => {
    await evaluator.handleEvent(approvalDeadlineEvent(deadline));
  };
}

export interface SlackAppInputs extends HumanLoopInputs {
  audit: AuditLog;
  evaluator: Evaluator;
  credentials: SlackCredentials;
  receiver: Receiver;
  /** The same human loop the evaluator uses (built from the environment when absent). */
  loop?: HumanLoop;
}

/** The bolt app with everything it needs, from configuration and environment. */
export function slackAppFromEnv(inputs: SlackAppInputs): App {
  const env = inputs.env ?? process.env;
  inputs = {
    ...inputs,
    slackClientOptions: inputs.slackClientOptions ?? slackClientOptionsFromEnv(env),
  };
  const loop =
    inputs.loop ??
    humanLoopFromEnv({
      ...inputs,
      slackClient:
        inputs.slackClient ??
        createSlackClient(inputs.credentials.botToken, inputs.slackClientOptions),
    });
  if (!inputs.config.slack) {
    throw new SlackWiringError(
      'configuration has no `slack` section (channel, approvers)',
      'slack',
    );
  }
  if (!loop.exceptions || !loop.notices || !loop.slack) {
    throw new SlackWiringError(
      `${HUMAN_LOOP_ENV.table} is not set: exceptions need their table`,
      HUMAN_LOOP_ENV.table,
    );
  }
  const evaluatorArn = env[HUMAN_LOOP_ENV.evaluatorFunction];
  const deps: SlackAppDeps = {
    config: inputs.config.slack,
    exceptions: loop.exceptions,
    notices: loop.notices,
    reporter: loop.slack,
    audit: inputs.audit,
    deadlines: loop.approvals,
    revertNow: evaluatorArn
      ? invokeEvaluator(inputs.clients, evaluatorArn)
      : evaluateInProcess(inputs.evaluator),
  };
  return createSlackApp({
    token: inputs.credentials.botToken,
    receiver: inputs.receiver,
    clientOptions: inputs.slackClientOptions,
    deps,
  });
}

/** A local HTTP receiver: bolt's signature check, default path /slack/events. */
export function localReceiver(signingSecret: string): HTTPReceiver {
  return new HTTPReceiver({ signingSecret, processBeforeResponse: true });
}
