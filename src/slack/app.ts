import { App, type AppOptions, type Receiver } from '@slack/bolt';
import { errorMessage } from '../errors';
import { registerCommand, SLASH_COMMAND } from './actions/command';
import { SlackHandlerContext, type SlackAppDeps } from './actions/context';
import { registerExceptionActions } from './actions/exceptions';
import { registerRevertActions } from './actions/revert';
import { slackClientOptions } from './reporter';

export { COMMAND_HELP, SLASH_COMMAND } from './actions/command';
export type { SlackAppDeps } from './actions/context';
export { announceGrant, grantFromNotice } from './actions/grants';

/** Bot scopes the app needs, by Web API method it calls (the manifest must grant them). */
export const REQUIRED_SCOPES: Record<string, readonly string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read', 'users:read.email'],
  'users.lookupByEmail': ['users:read.email'],
  [SLASH_COMMAND]: ['commands'],
};

/** Registers Rampart's actions, modal and slash command on a bolt app. */
export function registerRampartHandlers(app: App, deps: SlackAppDeps): void {
  const ctx = new SlackHandlerContext(deps);
  registerExceptionActions(app, ctx);
  registerRevertActions(app, ctx);
  registerCommand(app, ctx);

  // The app was removed or its token revoked: notices will fail from now on; say so loudly.
  for (const event of ['app_uninstalled', 'tokens_revoked'] as const) {
    app.event(event, async ({ body }) => {
      deps.audit.logger.error(`slack ${event}: notices will fail until the app is reinstalled`, {
        team: body.team_id,
      });
    });
  }

  app.error(async (error) => {
    deps.audit.logger.error('slack handler failed', { error: errorMessage(error) });
  });
}

export interface CreateSlackAppOptions {
  token: string;
  receiver: Receiver;
  /** Test and local overrides, e.g. `slackApiUrl` for a stand-in Web API. */
  clientOptions?: AppOptions['clientOptions'];
  deps: SlackAppDeps;
}

/**
 * One bolt app for Lambda (AwsLambdaReceiver) and local runs (HTTPReceiver); every request
 * verified before bolt sees it (request-verification.ts), then again by the receiver.
 */
export function createSlackApp(options: CreateSlackAppOptions): App {
  const app = new App({
    token: options.token,
    receiver: options.receiver,
    clientOptions: slackClientOptions(options.clientOptions ?? {}),
  });
  registerRampartHandlers(app, options.deps);
  return app;
}
