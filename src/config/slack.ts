import * as z from 'zod';

/** Slack channel ids start with C (public), G (private) or D (direct message). */
const channelId = z
  .string()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123456789');

/**
 * The `slack` section: where notices go and who may approve exceptions. Credentials are
 * never here (SLACK_BOT_TOKEN / SLACK_SIGNING_SECRET locally, Secrets Manager in AWS).
 */
export const slackConfigSchema = z.strictObject({
  /** Channel that receives every notice. */
  channel: channelId,
  approvers: z
    .strictObject({
      /** Slack user ids (U... or W...) allowed to approve exceptions. */
      users: z
        .array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U0123ABC'))
        .default([]),
      /** Slack user group ids (S...) whose members may approve exceptions. */
      userGroups: z
        .array(
          z.string().regex(/^S[A-Z0-9]{2,}$/, 'expected a Slack user group id such as S0123ABC'),
        )
        .default([]),
    })
    .refine((a) => a.users.length + a.userGroups.length > 0, {
      message: 'name at least one approver (users or userGroups); nobody could approve otherwise',
    }),
  /** Mode `approve`: minutes a violation stays open awaiting an exception before it is reverted. */
  approvalDeadlineMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(15),
});

export type SlackConfig = z.output<typeof slackConfigSchema>;
