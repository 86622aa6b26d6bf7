import * as z from 'zod';

/** Slack channel ids start with C (public), G (private) or D (direct message). */
const channelId = z
  .string()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123456789');

const slackUserId = z
  .string()
  .regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U0123ABC');

/** IAM users, roles, root and STS session ARNs, named exactly: no wildcards. */
const principalArn = z
  .string()
  .max(2048)
  .regex(
    /^arn:aws(?:-cn|-us-gov)?:(?:iam::\d{12}:(?:user\/|role\/|root$)|sts::\d{12}:(?:assumed-role\/|federated-user\/))[^*?\s]*$/,
    'expected an IAM user, role or root ARN, or an STS assumed-role/federated-user ARN, without wildcards',
  );

/**
 * Who a Slack user is on the AWS side, for what the profile email cannot tell: IAM users,
 * roles they assume, Identity Center user names and identity store ids, other emails.
 * Matched exactly (case-insensitively for names and emails), never by fragment.
 */
const slackIdentitySchema = z
  .strictObject({
    principalArns: z.array(principalArn).max(50).default([]),
    identityCenterUsers: z.array(z.string().min(1).max(128)).max(20).default([]),
    identityStoreUserIds: z
      .array(z.string().regex(/^[0-9a-f-]{10,64}$/i))
      .max(20)
      .default([]),
    emails: z.array(z.email()).max(20).default([]),
  })
  .refine(
    (i) =>
      i.principalArns.length +
        i.identityCenterUsers.length +
        i.identityStoreUserIds.length +
        i.emails.length >
      0,
    {
      message:
        'name at least one of principalArns, identityCenterUsers, identityStoreUserIds, emails',
    },
  );
export type SlackIdentityMapping = z.output<typeof slackIdentitySchema>;

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
      users: z.array(slackUserId).default([]),
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
  /** Slack user id → the AWS identities that user acts as (see docs/slack.md, identity rules). */
  identities: z
    .record(slackUserId, slackIdentitySchema)
    .refine((m) => Object.keys(m).length <= 1000, { message: 'at most 1000 Slack users' })
    .default({}),
  /** Mode `approve`: minutes a violation stays open awaiting an exception before it is reverted. */
  approvalDeadlineMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(15),
});

export type SlackConfig = z.output<typeof slackConfigSchema>;
