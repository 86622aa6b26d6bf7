import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ExceptionError, describeScope, requesterLabel } from '../../exceptions/model';
import { FOUR_EYES_REASON } from '../approval-rule';
import { ACTIONS } from '../blocks';
import { exceptionModal, type ExceptionModalMetadata } from '../modal';
import { md, user } from '../mrkdwn';
import type { PostedNotice } from '../notices';
import { SlackHandlerContext } from './context';
import { registerExceptionForm } from './exception-form';
import { announceGrant, approvedBy, pendingView } from './grants';

/** Request, approve (in place or a request), deny: every check on the server side. */
export function registerExceptionActions(app: App, ctx: SlackHandlerContext): void {
  const { deps } = ctx;
  registerExceptionForm(app, ctx);

  async function openForm(
    client: WebClient,
    triggerId: string,
    posted: PostedNotice,
    user: string,
    mode: ExceptionModalMetadata['mode'],
  ) {
    const token = await deps.notices.issueFormToken(
      { noticeId: posted.notice.id, user, mode },
      ctx.now(),
    );
    const metadata: ExceptionModalMetadata = {
      noticeId: posted.notice.id,
      mode,
      channel: posted.channel,
      ts: posted.ts,
      token,
    };
    await client.views.open({
      trigger_id: triggerId,
      view: exceptionModal(posted.notice, metadata),
    });
  }

  // "Request exception…": anyone may ask; an approver other than them decides.
  app.action<BlockButtonAction>(ACTIONS.requestException, async (args) => {
    await args.ack();
    const click = ctx.click(args);
    const posted = await ctx.loadNotice(args.client, click, 'request-exception');
    if (!posted) return;
    await openForm(args.client, click.triggerId, posted, click.user, 'request');
    deps.audit.humanAction('exception-request-opened', {
      user: click.user,
      channel: click.channel,
      noticeId: posted.notice.id,
    });
  });

  // "Approve exception…" (mode approve): only approvers who did not make the change.
  app.action<BlockButtonAction>(ACTIONS.approveException, async (args) => {
    await args.ack();
    const click = ctx.click(args);
    const fields = { noticeId: click.value };
    if (!(await ctx.requireApprover(args.client, click, 'approve-exception', fields))) return;
    const posted = await ctx.loadNotice(args.client, click, 'approve-exception');
    if (!posted) return;
    if (!SlackHandlerContext.undecided(posted)) {
      return ctx.refuse(
        args.client,
        click,
        'approve-exception',
        'this approval is already decided',
        fields,
      );
    }
    const verdict = await ctx.judge(args.client, {
      approver: click.user,
      author: posted.notice.actor,
    });
    if (verdict.refused) {
      return ctx.refuse(args.client, click, 'approve-exception', verdict.refused, fields);
    }
    await openForm(args.client, click.triggerId, posted, click.user, 'grant');
  });

  app.action<BlockButtonAction>(ACTIONS.approveRequest, async (args) => {
    await args.ack();
    const click = ctx.click(args);
    const fields = { requestId: click.value };
    if (!(await ctx.requireApprover(args.client, click, 'approve-request', fields))) return;
    const request = click.value ? await deps.exceptions.getRequest(click.value) : undefined;
    if (!request) {
      return ctx.refuse(
        args.client,
        click,
        'approve-request',
        'this request is unknown or has expired',
        fields,
      );
    }
    const verdict = await ctx.judge(args.client, {
      approver: click.user,
      author: request.author,
      requester: request.requester,
      approvals: request.approvals,
    });
    if (verdict.refused)
      return ctx.refuse(args.client, click, 'approve-request', verdict.refused, fields);
    const posted = request.noticeId ? await deps.notices.get(request.noticeId) : undefined;
    const onApproval = posted?.notice.kind === 'approval';
    const completes = request.approvals.length + 1 >= verdict.required;
    const guards =
      onApproval && completes ? [ctx.grantDecision(posted!.notice.id, click.user)] : [];
    let outcome;
    try {
      outcome = await deps.exceptions.approveRequest(
        click.value,
        click.user,
        ctx.now(),
        verdict.required,
        guards,
      );
    } catch (error) {
      if (!(error instanceof ExceptionError)) throw error;
      return ctx.refuse(args.client, click, 'approve-request', error.message, fields);
    }
    if (outcome.status === 'needs-another-approver') {
      deps.audit.humanAction('exception-approved-once', {
        user: click.user,
        ...fields,
        reason: FOUR_EYES_REASON,
      });
      if (posted) {
        await ctx.editNotice(
          posted,
          { pendingRequest: pendingView(outcome.request) },
          md`${user(click.user)} approved request ${request.id}; ${FOUR_EYES_REASON}.`,
        );
      }
      return;
    }
    const { record } = outcome;
    deps.audit.humanAction('exception-approved', {
      user: click.user,
      approvers: outcome.request.approvals,
      authors: verdict.authors,
      ...fields,
      exceptionId: record.id,
      policyId: record.policyId,
      scope: record.scope,
    });
    if (!posted) return;
    if (onApproval) {
      await announceGrant(deps, posted, record);
      return;
    }
    await ctx.editNotice(
      posted,
      { pendingRequest: undefined },
      md`:white_check_mark: Exception \`${record.id}\` requested by ${requesterLabel(record.requester)}, approved by ${approvedBy(record)} until ${record.expiresAt} (${describeScope(record.scope)}).`,
    );
  });

  app.action<BlockButtonAction>(ACTIONS.denyRequest, async (args) => {
    await args.ack();
    const click = ctx.click(args);
    const fields = { requestId: click.value };
    if (!(await ctx.requireApprover(args.client, click, 'deny-request', fields))) return;
    try {
      const request = await deps.exceptions.denyRequest(click.value, click.user, ctx.now());
      deps.audit.humanAction('exception-denied', { user: click.user, ...fields });
      const posted = request.noticeId ? await deps.notices.get(request.noticeId) : undefined;
      if (posted) {
        await ctx.editNotice(
          posted,
          { pendingRequest: undefined },
          md`Exception request ${click.value} denied by ${user(click.user)}.`,
        );
      }
    } catch (error) {
      if (!(error instanceof ExceptionError)) throw error;
      return ctx.refuse(args.client, click, 'deny-request', error.message, fields);
    }
  });
}
