import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { HTTPReceiver, type App, type Receiver } from '@slack/bolt';
import type { AuditLog } from '../audit';
import type { AwsClients } from '../aws/clients';
import type { Evaluator } from '../engine/evaluator';
import { approvalDeadlineEvent, type ApprovalDeadline } from '../exceptions/deadline';
import { createSlackApp, type SlackAppDeps } from './app';
import type { SlackCredentials } from './credentials';
import { createSlackClient } from './reporter';
import { verifiedRequestListener, type RefusalLogger } from './request-verification';
import {
  HUMAN_LOOP_ENV,
  SlackWiringError,
  humanLoopFromEnv,
  slackClientOptionsFromEnv,
  type HumanLoop,
  type HumanLoopInputs,
} from './wiring';

/** The bolt app's wiring (Slack function, local server); the evaluator never loads it. */

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

/**
 * Where refused requests go: unsigned ones are logged (anyone can send them); signed but
 * malformed ones are audited, since only Slack or a holder of the secret can send them.
 */
export function refusalLog(audit: Pick<AuditLog, 'logger' | 'humanAction'>): RefusalLogger {
  return (reason, status, signed) => {
    if (signed) audit.humanAction('slack-request', { user: 'unknown', refused: reason, status });
    else audit.logger.warn('slack request refused', { reason, status });
  };
}

/**
 * A local HTTP receiver (default path /slack/events): Rampart's own signature and clock
 * check in front of bolt's, so a body is verified before bolt reads it.
 */
export function localReceiver(signingSecret: string, onRefused: RefusalLogger): HTTPReceiver {
  const receiver = new HTTPReceiver({ signingSecret, processBeforeResponse: true });
  receiver.requestListener = verifiedRequestListener(
    signingSecret,
    receiver.requestListener,
    onRefused,
  );
  return receiver;
}
