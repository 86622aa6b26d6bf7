import * as z from 'zod';

/**
 * The shape bolt and Rampart's handlers rely on, checked on signed requests before bolt
 * sees them: bolt reads `user.id` and `actions[0]` unguarded, so a signed but malformed
 * payload would otherwise throw inside it (a 500, or a 404 after three seconds) instead of
 * being refused with a reason.
 */

const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,20}$/);
const user = z.object({ id: slackUserId });

const blockActions = z.object({
  type: z.literal('block_actions'),
  user,
  actions: z
    .array(
      z.object({
        action_id: z.string().min(1).max(255),
        value: z.string().max(2000).optional(),
      }),
    )
    .min(1)
    .max(25),
});

const viewSubmission = z.object({
  type: z.literal('view_submission'),
  user,
  view: z.object({
    callback_id: z.string().max(255),
    private_metadata: z.string().max(3000),
    state: z.object({ values: z.record(z.string(), z.unknown()) }),
  }),
});

const viewClosed = z.object({ type: z.literal('view_closed'), user });

const interaction = z.discriminatedUnion('type', [blockActions, viewSubmission, viewClosed]);

const slashCommand = z.object({
  command: z.string().startsWith('/').max(64),
  user_id: slackUserId,
  team_id: z.string().min(1),
  text: z.string().max(4000),
});

const eventsApi = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url_verification'), challenge: z.string().max(200) }),
  z.object({
    type: z.literal('event_callback'),
    team_id: z.string().min(1),
    event: z.object({ type: z.string().min(1) }),
  }),
]);

function problemOf(error: z.ZodError, what: string): string {
  const issue = error.issues[0]!;
  const path = issue.path.length > 0 ? issue.path.join('.') : '(payload)';
  return `malformed ${what}: ${path}: ${issue.message}`;
}

/**
 * Why a signed body cannot be handled, or undefined when it can: interactivity payloads
 * (block actions, modal submissions), slash commands and Events API callbacks.
 */
export function slackPayloadProblem(
  body: Buffer,
  contentType: string | undefined,
): string | undefined {
  const text = body.toString('utf8');
  if ((contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(text);
    if (form.get('ssl_check') === '1') return undefined;
    const payload = form.get('payload');
    if (payload === null) {
      const parsed = slashCommand.safeParse(Object.fromEntries(form));
      return parsed.success ? undefined : problemOf(parsed.error, 'slash command');
    }
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      return 'malformed interaction: payload is not JSON';
    }
    const parsed = interaction.safeParse(json);
    return parsed.success ? undefined : problemOf(parsed.error, 'interaction');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'malformed event: body is not JSON';
  }
  const parsed = eventsApi.safeParse(json);
  return parsed.success ? undefined : problemOf(parsed.error, 'event');
}
