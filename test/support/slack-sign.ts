import { createHmac } from 'node:crypto';

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`, exactly as Slack signs requests. */
export function slackSignature(
  secret: string,
  timestampSeconds: number | string,
  body: string,
): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  secret: string;
  /** Defaults to now; pass an old one to replay. */
  timestampSeconds?: number;
  /** Overrides the computed signature (forgery); `null` sends no signature headers. */
  signature?: string | null;
}

/** POSTs a body to a bolt endpoint the way Slack does, signed unless told otherwise. */
export async function postSigned(
  url: string,
  body: string,
  contentType: 'application/json' | 'application/x-www-form-urlencoded',
  options: SignedPostOptions,
): Promise<{ status: number; text: string }> {
  const ts = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': contentType };
  if (options.signature !== null) {
    headers['x-slack-request-timestamp'] = String(ts);
    headers['x-slack-signature'] = options.signature ?? slackSignature(options.secret, ts, body);
  }
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text() };
}

/** An interactivity payload (block_actions, view_submission) as Slack posts it: a form field. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A button click on a message. */
export function buttonClick(
  user: string,
  channel: string,
  messageTs: string,
  actionId: string,
  value: string,
) {
  return {
    type: 'block_actions',
    team: { id: 'T0RAMPART', domain: 'rampart' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0RAMPART' },
    api_app_id: 'A0RAMPART',
    token: 'legacy-token-unused',
    container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: `trigger-${user}-${Date.now()}`,
    channel: { id: channel, name: 'rampart' },
    message: { type: 'message', ts: messageTs, text: 'notice' },
    response_url: 'http://127.0.0.1:9/unused',
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'b',
        value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/** A modal submission with the given input values (block_id → action_id → value). */
export function viewSubmission(
  user: string,
  view: { callback_id: string; private_metadata: string },
  values: Record<string, Record<string, unknown>>,
) {
  return {
    type: 'view_submission',
    team: { id: 'T0RAMPART', domain: 'rampart' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0RAMPART' },
    api_app_id: 'A0RAMPART',
    token: 'legacy-token-unused',
    trigger_id: `trigger-${user}-${Date.now()}`,
    view: {
      id: 'V1',
      team_id: 'T0RAMPART',
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: { values },
      hash: 'h',
    },
  };
}

/** A slash command as Slack posts it (form fields). */
export function slashCommandBody(user: string, channel: string, text: string): string {
  return new URLSearchParams({
    token: 'legacy-token-unused',
    team_id: 'T0RAMPART',
    team_domain: 'rampart',
    channel_id: channel,
    channel_name: 'rampart',
    user_id: user,
    user_name: user.toLowerCase(),
    command: '/rampart',
    text,
    api_app_id: 'A0RAMPART',
    response_url: 'http://127.0.0.1:9/unused',
    trigger_id: `trigger-${user}`,
  }).toString();
}
