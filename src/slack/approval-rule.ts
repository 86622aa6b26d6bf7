import type { WebClient } from '@slack/web-api';
import type { SlackConfig } from '../config/slack';
import type { Actor } from '../domain';
import { errorMessage } from '../errors';
import type { Requester } from '../exceptions/model';
import {
  authorIdentity,
  describeAuthor,
  intersects,
  mappedAuthors,
  slackUserIdentity,
} from './identity';
import { md, user, type RichText } from './mrkdwn';

/**
 * The rule: an exception for a change is approved only by someone provably not its
 * author, and never by its requester. When no Slack user can be tied to the author, one
 * approver is not enough: a second, distinct one is required (four eyes).
 */

export interface ApprovalVerdict {
  /** Why this user may not approve; undefined when they may. */
  refused?: RichText;
  /** Approvals the exception needs in all: 1 when the author is tied to a Slack user. */
  required: 1 | 2;
  /** Slack users the author was tied to (exact identities), for the audit. */
  authors: string[];
}

export interface ApprovalQuestion {
  approver: string;
  author: Actor | undefined;
  requester?: Requester;
  /** Who approved already (the first of two). */
  approvals?: readonly string[];
}

/** The Slack users whose profile email is one of the author's proven emails. */
async function usersByEmail(
  client: WebClient,
  emails: string[],
  onLookupError: (email: string, error: unknown) => void,
): Promise<string[]> {
  const users: string[] = [];
  for (const email of emails.slice(0, 5)) {
    try {
      const out = await client.users.lookupByEmail({ email });
      if (out.user?.id) users.push(out.user.id);
    } catch (error) {
      // users_not_found is the normal "nobody has this email"; anything else is logged.
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code !== 'users_not_found') onLookupError(email, error);
    }
  }
  return users;
}

export async function judgeApprover(
  client: WebClient,
  config: Pick<SlackConfig, 'identities'>,
  question: ApprovalQuestion,
  onLookupError: (email: string, error: unknown) => void = () => {},
): Promise<ApprovalVerdict> {
  const { approver, requester, approvals = [] } = question;
  const author = authorIdentity(question.author);
  const tied = [
    ...new Set([
      ...mappedAuthors(author, config.identities),
      ...(await usersByEmail(client, author.emails, onLookupError)),
    ]),
  ];
  const verdict = (refused?: RichText): ApprovalVerdict => ({
    ...(refused ? { refused } : {}),
    required: tied.length > 0 ? 1 : 2,
    authors: tied,
  });
  if (requester && 'slackUserId' in requester && requester.slackUserId === approver) {
    return verdict(
      md`nobody approves their own request: ${user(approver)} asked for this exception`,
    );
  }
  if (approvals.includes(approver)) {
    return verdict(
      md`${user(approver)} already approved this; a second, different approver is needed`,
    );
  }
  if (tied.includes(approver)) {
    return verdict(
      md`nobody approves their own change: ${user(approver)} made it as ${describeAuthor(question.author)}`,
    );
  }
  let email: string | undefined;
  try {
    const { user } = await client.users.info({ user: approver });
    email = user?.profile?.email;
  } catch (error) {
    return verdict(
      md`cannot verify that ${user(approver)} did not make this change (${errorMessage(error)})`,
    );
  }
  const mine = slackUserIdentity(email, config.identities[approver]);
  if (intersects(mine, author.proven) || intersects(mine, author.claimed)) {
    return verdict(
      md`nobody approves their own change: ${user(approver)} made it as ${describeAuthor(question.author)}`,
    );
  }
  return verdict();
}

/** What the notice says when one approval is not enough. */
export const FOUR_EYES_REASON =
  'the author of this change cannot be tied to a Slack user, so a second, different approver is needed';
