import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import {
  ExceptionError,
  MAX_TAG_SCOPE_LENGTH,
  describeScope,
  parseDurationDays,
  requesterLabel,
  validateJustification,
  validateScope,
  type ExceptionDurationDays,
  type ExceptionRecord,
  type ExceptionScope,
} from '../../exceptions/model';
import type { DecisionGuard, ExceptionRequest } from '../../exceptions/store';
import type { Notice } from '../../notices/notice';
import { FOUR_EYES_REASON } from '../approval-rule';
import {
  ACTIONS,
  EXCEPTION_MODAL,
  MODAL_FIELDS,
  exceptionModal,
  parseModalMetadata,
  type ExceptionModalMetadata,
} from '../blocks';
import { joinRich, md, plainText, user, type RichText } from '../mrkdwn';
import type { PostedNotice } from '../notices';
import { SlackHandlerContext, editNotice, type SlackAppDeps } from './context';

type ViewValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value?: string } | null }>
>;

interface FormInput {
  scope: ExceptionScope;
  days: ExceptionDurationDays;
  justification: string;
}

function tagScope(raw: string | undefined | null, account: string): ExceptionScope {
  if ((raw ?? '').length > MAX_TAG_SCOPE_LENGTH) {
    throw new ExceptionError(`a tag scope is at most ${MAX_TAG_SCOPE_LENGTH} characters`, 'tag');
  }
  const match = /^\s*([^=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(raw ?? '');
  if (!match) {
    throw new ExceptionError('a tag scope needs the tag as key=value', 'tag');
  }
  return { kind: 'tag', account, key: match[1]!, value: match[2]! };
}

/** The modal's fields, validated; throws ExceptionError naming the field. */
function readForm(values: ViewValues, notice: Notice): FormInput {
  const kind =
    values[MODAL_FIELDS.scope.block]?.[MODAL_FIELDS.scope.action]?.selected_option?.value;
  const scope: ExceptionScope =
    kind === 'tag'
      ? tagScope(
          values[MODAL_FIELDS.tag.block]?.[MODAL_FIELDS.tag.action]?.value,
          notice.resource.account,
        )
      : { kind: 'resource', arn: notice.resource.arn };
  validateScope(scope, notice.resource);
  const days = parseDurationDays(
    values[MODAL_FIELDS.duration.block]?.[MODAL_FIELDS.duration.action]?.selected_option?.value ??
      undefined,
  );
  const justification = validateJustification(
    values[MODAL_FIELDS.justification.block]?.[MODAL_FIELDS.justification.action]?.value ??
      undefined,
  );
  return { scope, days, justification };
}

function blockOf(error: unknown): string {
  const field = error instanceof ExceptionError ? error.subject : undefined;
  return field === 'scope' || field === 'tag'
    ? MODAL_FIELDS.tag.block
    : field === 'duration'
      ? MODAL_FIELDS.duration.block
      : MODAL_FIELDS.justification.block;
}

/**
 * Mode `approve`: an approver grants an exception on an approval notice. The change that
 * awaits approval is the request, so its AWS principal is the requester. `guards` make
 * the grant single-use (the form token, the notice's one decision).
 */
export async function grantFromNotice(
  deps: Pick<SlackAppDeps, 'exceptions' | 'now'>,
  notice: Notice,
  input: FormInput & { user: string },
  guards: DecisionGuard[] = [],
): Promise<ExceptionRecord> {
  return deps.exceptions.grant(
    {
      policyId: notice.policy.id,
      resource: notice.resource,
      scope: input.scope,
      requester: { awsPrincipal: notice.actor?.arn ?? notice.actor?.principalId ?? 'unknown' },
      approver: input.user,
      justification: input.justification,
      days: input.days,
      noticeId: notice.id,
    },
    (deps.now ?? Date.now)(),
    guards,
  );
}

function approvedBy(record: ExceptionRecord): RichText {
  return joinRich(
    (record.approvers ?? [record.approver]).map((a) => [user(a)]),
    ' and ',
  );
}

/** After a grant: audit it, drop the pending deadline, and close the notice saying who approved. */
export async function announceGrant(
  deps: Pick<SlackAppDeps, 'audit' | 'deadlines' | 'reporter'>,
  posted: PostedNotice,
  record: ExceptionRecord,
): Promise<void> {
  const { notice } = posted;
  deps.audit.humanAction('exception-granted', {
    user: record.approver,
    ...(record.approvers ? { approvers: record.approvers } : {}),
    exceptionId: record.id,
    policyId: record.policyId,
    scope: record.scope,
    expiresAt: record.expiresAt,
    justification: record.justification,
    requester: record.requester,
  });
  await deps.deadlines?.cancel(notice.id, notice.resource.region);
  await editNotice(
    deps,
    posted,
    { open: false, pendingRequest: undefined },
    md`:white_check_mark: Exception \`${record.id}\` approved by ${approvedBy(record)} until ${record.expiresAt} (${describeScope(record.scope)}).`,
  );
}

function pendingView(request: ExceptionRequest) {
  return {
    id: request.id,
    requester: requesterLabel(request.requester),
    justification: request.justification,
    days: request.days,
    scope: describeScope(request.scope),
    ...(request.approvals.length > 0 ? { approvals: request.approvals } : {}),
  };
}

/** Request, approve (in place or a request), deny: every check on the server side. */
export function registerExceptionActions(app: App, ctx: SlackHandlerContext): void {
  const { deps } = ctx;

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

  app.view(EXCEPTION_MODAL, async ({ ack, body, view, client }) => {
    const userId = body.user.id;
    const fail = async (block: string, message: string, fields: Record<string, unknown>) => {
      deps.audit.humanAction(`exception-${fields.mode ?? 'form'}`, {
        user: userId,
        refused: message,
        ...fields,
      });
      await ack({ response_action: 'errors', errors: { [block]: message } });
    };
    const metadata = parseModalMetadata(view.private_metadata);
    if (typeof metadata === 'string') {
      return fail(MODAL_FIELDS.justification.block, `This form cannot be read: ${metadata}.`, {});
    }
    const base = { noticeId: metadata.noticeId, mode: metadata.mode };
    const posted = await deps.notices.get(metadata.noticeId);
    if (!posted) return fail(MODAL_FIELDS.justification.block, 'This notice has expired.', base);
    const { notice } = posted;
    let form: FormInput;
    try {
      form = readForm(view.state.values as ViewValues, notice);
    } catch (error) {
      if (!(error instanceof ExceptionError)) throw error;
      return fail(blockOf(error), error.message, base);
    }
    const token = deps.notices.formTokenGuard(
      metadata.token,
      { noticeId: notice.id, user: userId, mode: metadata.mode },
      ctx.now(),
    );

    if (metadata.mode === 'request') {
      let request: ExceptionRequest;
      try {
        request = await deps.exceptions.createRequest(
          {
            policyId: notice.policy.id,
            resource: notice.resource,
            scope: form.scope,
            requester: { slackUserId: userId },
            ...(notice.actor ? { author: notice.actor } : {}),
            justification: form.justification,
            days: form.days,
            noticeId: notice.id,
            now: ctx.now(),
          },
          [token],
        );
      } catch (error) {
        if (!(error instanceof ExceptionError)) throw error;
        return fail(MODAL_FIELDS.justification.block, error.message, base);
      }
      await ack();
      deps.audit.humanAction('exception-requested', {
        user: userId,
        requestId: request.id,
        policyId: notice.policy.id,
        scope: form.scope,
        days: form.days,
        justification: form.justification,
      });
      await ctx.editNotice(posted, { pendingRequest: pendingView(request) });
      return;
    }

    // Grant: every check again, the modal could outlive a change of approvers or a decision.
    if (!(await ctx.approvers.includes(userId, client))) {
      return fail(MODAL_FIELDS.justification.block, 'Only approvers may approve exceptions.', base);
    }
    if (!SlackHandlerContext.undecided(posted)) {
      return fail(MODAL_FIELDS.justification.block, 'This approval is already decided.', base);
    }
    const verdict = await ctx.judge(client, { approver: userId, author: notice.actor });
    if (verdict.refused)
      return fail(MODAL_FIELDS.justification.block, plainText(verdict.refused), base);
    try {
      if (verdict.required === 1) {
        const record = await grantFromNotice(deps, notice, { ...form, user: userId }, [
          token,
          deps.notices.decisionGuard(notice.id, {
            decision: 'granted',
            by: userId,
            at: new Date(ctx.now()).toISOString(),
          }),
        ]);
        await ack();
        await announceGrant(deps, posted, { ...record });
        return;
      }
      // Four eyes: this approval is the first of two; the second comes from the notice.
      const request = await deps.exceptions.createRequest(
        {
          policyId: notice.policy.id,
          resource: notice.resource,
          scope: form.scope,
          requester: { awsPrincipal: notice.actor?.arn ?? notice.actor?.principalId ?? 'unknown' },
          ...(notice.actor ? { author: notice.actor } : {}),
          justification: form.justification,
          days: form.days,
          noticeId: notice.id,
          approvals: [userId],
          now: ctx.now(),
        },
        [token],
      );
      await ack();
      deps.audit.humanAction('exception-approved-once', {
        user: userId,
        requestId: request.id,
        policyId: notice.policy.id,
        scope: form.scope,
        reason: FOUR_EYES_REASON,
      });
      await ctx.editNotice(
        posted,
        { pendingRequest: pendingView(request) },
        md`${user(userId)} approved an exception; ${FOUR_EYES_REASON}.`,
      );
    } catch (error) {
      if (!(error instanceof ExceptionError)) throw error;
      return fail(MODAL_FIELDS.justification.block, error.message, base);
    }
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
      onApproval && completes
        ? [
            deps.notices.decisionGuard(posted!.notice.id, {
              decision: 'granted',
              by: click.user,
              at: new Date(ctx.now()).toISOString(),
            }),
          ]
        : [];
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
