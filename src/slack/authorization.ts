import type { WebClient } from '@slack/web-api';
import type { SlackConfig } from '../config/slack';
import { joinRich, user, usergroup, type TextPart } from './mrkdwn';

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

  /** `<@U1>, <!subteam^S1>`: how a refusal names who may approve. */
  describe(): TextPart[] {
    return joinRich(
      [
        ...this.approvers.users.map((u) => [user(u)]),
        ...this.approvers.userGroups.map((g) => [usergroup(g)]),
      ],
      ', ',
    );
  }
}
