import type { WebClient } from '@slack/web-api';
import type { SlackConfig } from '../config/slack';

/**
 * Who may approve: the configured user ids, plus the current members of the configured
 * user groups (asked of Slack on each decision, so membership changes apply at once).
 */
export class Approvers {
  constructor(
    private readonly approvers: SlackConfig['approvers'],
    private readonly onLookupError?: (usergroup: string, error: unknown) => void,
  ) {}

  async includes(userId: string, client: WebClient): Promise<boolean> {
    if (this.approvers.users.includes(userId)) return true;
    for (const usergroup of this.approvers.userGroups) {
      try {
        const out = await client.usergroups.users.list({ usergroup });
        if (out.users?.includes(userId)) return true;
      } catch (error) {
        // Membership unknown (missing usergroups:read, group deleted): not an approver.
        this.onLookupError?.(usergroup, error);
      }
    }
    return false;
  }

  /** `<@U1>, <!subteam^S1>`: how the refusal names who may approve. */
  describe(): string {
    return [
      ...this.approvers.users.map((u) => `<@${u}>`),
      ...this.approvers.userGroups.map((g) => `<!subteam^${g}>`),
    ].join(', ');
  }
}

/**
 * The names an AWS principal goes by: an IAM user's name, or an assumed role's session
 * name (with SSO, the person's email) and that email's local part.
 */
export function principalNames(arn: string | undefined): string[] {
  const match = /:(?:user\/(?:.*\/)?|assumed-role\/[^/]+\/)([^/]+)$/.exec(arn ?? '');
  if (!match) return [];
  const name = match[1]!.toLowerCase();
  return name.includes('@') ? [name, name.split('@')[0]!] : [name];
}

/**
 * Whether a Slack user is the AWS principal whose change awaits approval: their Slack
 * email, its local part or their handle equals the IAM user or session name. In mode
 * `approve` the change is the request, so such an approver would approve their own.
 * Throws when Slack cannot tell (scope `users:read.email` missing): callers refuse then.
 */
export async function madeTheChange(
  client: WebClient,
  slackUserId: string,
  actorArn: string | undefined,
): Promise<boolean> {
  const names = principalNames(actorArn);
  if (names.length === 0) return false;
  const { user } = await client.users.info({ user: slackUserId });
  const email = user?.profile?.email?.toLowerCase();
  const slackNames = [email, email?.split('@')[0], user?.name?.toLowerCase()].filter(
    (n): n is string => Boolean(n),
  );
  return slackNames.some((n) => names.includes(n));
}
