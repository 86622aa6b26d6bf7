import { AwsLambdaReceiver } from '@slack/bolt';
import type { Context } from 'aws-lambda';
import { AwsClients } from '../aws/clients';
import { loadSlackCredentials } from '../slack/credentials';
import { rampartForSlack } from '../slack/runtime';
import { refusalLog, slackAppFromEnv } from '../slack/app-wiring';
import { verifiedLambdaHandler } from '../slack/request-verification';

/**
 * Builds the Slack function's handler: credentials from Secrets Manager (read once per cold
 * start), every request's signature and timestamp verified before its body is parsed, then
 * bolt's AwsLambdaReceiver.
 */
export async function createSlackHandler(): Promise<AwsHandler> {
  const clients = new AwsClients();
  const credentials = await loadSlackCredentials(clients);
  const rampart = rampartForSlack(credentials, { clients });
  const receiver = new AwsLambdaReceiver({ signingSecret: credentials.signingSecret });
  slackAppFromEnv({ ...rampart, credentials, receiver, loop: rampart.humanLoop });
  return verifiedLambdaHandler(
    credentials.signingSecret,
    await receiver.start(),
    refusalLog(rampart.audit),
  );
}

type BoltHandler = Awaited<ReturnType<AwsLambdaReceiver['start']>>;
type AwsHandler = ReturnType<
  typeof verifiedLambdaHandler<
    Parameters<BoltHandler>[0],
    Context,
    Awaited<ReturnType<BoltHandler>>
  >
>;
let built: Promise<AwsHandler> | undefined;

/** Lambda entry point behind a Function URL (or API Gateway): Slack events, interactivity, the slash command. */
export const handler = async (event: Parameters<AwsHandler>[0], context: Context) => {
  built ??= createSlackHandler().catch((error: unknown) => {
    built = undefined; // a failed cold start (secret unreadable) is retried on the next request
    throw error;
  });
  return (await built)(event, context);
};
