import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTIONS } from '../blocks';
import { md, user } from '../mrkdwn';
import { SlackHandlerContext } from './context';

/**
 * "Revert now" and "Keep reverting": the safe direction, open to anyone in the channel,
 * and like every decision taken once (a conditional write on the notice): a replayed or
 * concurrent click changes nothing.
 */
export function registerRevertActions(app: App, ctx: SlackHandlerContext): void {
  const { deps } = ctx;
  for (const [actionId, verb, decision] of [
    [ACTIONS.revertNow, 'asked to revert now', 'revert-now'],
    [ACTIONS.keepReverting, 'declined the exception: keep reverting', 'keep-reverting'],
  ] as const) {
    app.action<BlockButtonAction>(actionId, async (args) => {
      await args.ack();
      const click = ctx.click(args);
      const posted = await ctx.loadNotice(args.client, click, actionId);
      if (!posted) return;
      const { notice } = posted;
      const fields = { noticeId: click.value };
      const taken =
        SlackHandlerContext.undecided(posted) &&
        (await deps.notices.decide(notice.id, {
          decision,
          by: click.user,
          at: new Date(ctx.now()).toISOString(),
        }));
      if (!taken) {
        return ctx.refuse(args.client, click, actionId, 'this approval is already decided', fields);
      }
      deps.audit.humanAction(decision, {
        user: click.user,
        noticeId: notice.id,
        policyId: notice.policy.id,
        resource: notice.resource.arn,
      });
      await ctx.editNotice(
        posted,
        { open: false, pendingRequest: undefined },
        md`${user(click.user)} ${verb}.`,
      );
      await deps.deadlines?.cancel(notice.id, notice.resource.region);
      await deps.revertNow({
        approvalId: notice.id,
        policyId: notice.policy.id,
        resource: notice.resource,
        trigger: {
          source: 'cloudtrail',
          eventId: notice.eventId,
          eventName: notice.eventName,
          eventSource: notice.eventSource,
          eventTime: notice.eventTime,
          ...(notice.actor ? { actor: notice.actor } : {}),
        },
        deadline: new Date(ctx.now()).toISOString(),
        reason: 'revert-now',
        requestedBy: click.user,
      });
    });
  }
}
