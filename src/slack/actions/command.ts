import type { App } from '@slack/bolt';
import {
  ExceptionError,
  describeScope,
  requesterLabel,
  type ExceptionRecord,
} from '../../exceptions/model';
import { clipMrkdwn, md, mrkdwn, user, type RichText } from '../mrkdwn';
import type { SlackHandlerContext } from './context';

export const SLASH_COMMAND = '/rampart';

export const COMMAND_HELP = [
  '`/rampart exceptions`: active exceptions (approvers see all; others those they asked for or approved)',
  '`/rampart revoke <exception-id>`: revoke one now (approvers and its requester)',
  '`/rampart status <resource-arn>`: active exceptions on a resource',
  '`/rampart help`: this text',
].join('\n');

/** An ephemeral answer is read in Slack's client; beyond this it is a wall, not an answer. */
const REPLY_MAX = 12_000;

function exceptionLine(e: ExceptionRecord): RichText {
  return md`\`${e.id}\` ${e.policyId} on ${describeScope(e.scope)}, approved by ${user(e.approver)} for ${requesterLabel(e.requester)} until ${e.expiresAt}: ${e.justification}`;
}

function concerns(e: ExceptionRecord, userId: string): boolean {
  return (
    ('slackUserId' in e.requester && e.requester.slackUserId === userId) ||
    e.approver === userId ||
    (e.approvers ?? []).includes(userId)
  );
}

/**
 * The list a user may see: approvers see every exception with its justification and
 * requester; anyone else sees those they asked for or approved, and only a count of the
 * rest (which resources are excepted, and why, is for approvers).
 */
function visibleList(
  list: ExceptionRecord[],
  userId: string,
  approver: boolean,
  none: string,
): string {
  const shown = approver ? list : list.filter((e) => concerns(e, userId));
  const hidden = list.length - shown.length;
  const lines = shown.map((e) => mrkdwn(exceptionLine(e)));
  if (hidden > 0) lines.push(mrkdwn(md`… and ${hidden} more, visible to approvers.`));
  if (lines.length === 0) return mrkdwn(none);
  return clipMrkdwn(lines.join('\n'), REPLY_MAX, `\n… (clipped at ${REPLY_MAX} characters)`);
}

/** `/rampart exceptions | status <arn> | revoke <id> | help`, answered ephemerally. */
export function registerCommand(app: App, ctx: SlackHandlerContext): void {
  const { deps, approvers } = ctx;
  app.command(SLASH_COMMAND, async ({ ack, command, client }) => {
    const [sub = 'help', ...args] = command.text.trim().split(/\s+/).filter(Boolean);
    const userId = command.user_id;
    const replyRendered = (text: string) =>
      ack({ response_type: 'ephemeral', text: clipMrkdwn(text, REPLY_MAX) });
    const reply = (text: RichText | string) => replyRendered(mrkdwn(text));
    switch (sub) {
      case 'help':
        return reply(COMMAND_HELP);
      case 'exceptions': {
        const list = await deps.exceptions.listActive(ctx.now());
        const approver = list.length > 0 && (await approvers.includes(userId, client));
        return replyRendered(visibleList(list, userId, approver, 'No active exceptions.'));
      }
      case 'status': {
        const arn = args[0];
        if (!arn?.startsWith('arn:') || arn.length > 2048)
          return reply('Usage: `/rampart status <resource-arn>` (an ARN starting with `arn:`)');
        const list = await deps.exceptions.listActive(ctx.now(), { arn });
        const approver = list.length > 0 && (await approvers.includes(userId, client));
        return replyRendered(
          visibleList(
            list,
            userId,
            approver,
            `No active exception on ${arn}: violations are handled as configured.`,
          ),
        );
      }
      case 'revoke': {
        const id = args[0];
        if (!id || id.length > 64) return reply('Usage: `/rampart revoke <exception-id>`');
        const existing = await deps.exceptions.get(id);
        const ownRequest =
          existing &&
          'slackUserId' in existing.requester &&
          existing.requester.slackUserId === userId;
        if (!ownRequest && !(await approvers.includes(userId, client))) {
          deps.audit.humanAction('revoke', {
            user: userId,
            refused: 'not an approver nor the requester',
            exceptionId: id,
          });
          return reply(
            md`:no_entry: only approvers (${approvers.describe()}) or the requester may revoke ${id}`,
          );
        }
        try {
          const revoked = await deps.exceptions.revoke(id, userId, ctx.now());
          deps.audit.humanAction('revoke', {
            user: userId,
            exceptionId: id,
            policyId: revoked.policyId,
            scope: revoked.scope,
          });
          return reply(
            md`Exception \`${id}\` revoked: the next change to ${describeScope(revoked.scope)} is judged without it.`,
          );
        } catch (error) {
          if (!(error instanceof ExceptionError)) throw error;
          deps.audit.humanAction('revoke', {
            user: userId,
            refused: error.message,
            exceptionId: id,
          });
          return reply(md`:no_entry: ${error.message}`);
        }
      }
      default:
        return reply(
          md`Unknown subcommand \`${sub.slice(0, 40)}\`; allowed: exceptions, revoke, status, help.\n${COMMAND_HELP}`,
        );
    }
  });
}
