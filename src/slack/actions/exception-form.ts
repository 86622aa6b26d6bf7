import type { App } from '@slack/bolt';
import {
  ExceptionError,
  MAX_TAG_SCOPE_LENGTH,
  parseDurationDays,
  validateJustification,
  validateScope,
  type ExceptionDurationDays,
  type ExceptionScope,
} from '../../exceptions/model';
import type { ExceptionRequest } from '../../exceptions/store';
import type { Notice } from '../../notices/notice';
import { FOUR_EYES_REASON } from '../approval-rule';
import { EXCEPTION_MODAL, MODAL_FIELDS } from '../blocks';
import { parseModalMetadata } from '../modal';
import { md, plainText, user } from '../mrkdwn';
import { SlackHandlerContext } from './context';
import { announceGrant, changeRequester, grantFromNotice, pendingView } from './grants';

type ViewValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value?: string } | null }>
>;

export interface FormInput {
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
 * The exception form's submission (request or grant): the fields validated, the form's
 * single-use token spent in the same transaction as what it decides, and for a grant
 * every approver check again, since the modal can outlive a change of approvers.
 */
export function registerExceptionForm(app: App, ctx: SlackHandlerContext): void {
  const { deps } = ctx;
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
          ctx.grantDecision(notice.id, userId),
        ]);
        await ack();
        await announceGrant(deps, posted, record);
        return;
      }
      // Four eyes: this approval is the first of two; the second comes from the notice.
      const request = await deps.exceptions.createRequest(
        {
          policyId: notice.policy.id,
          resource: notice.resource,
          scope: form.scope,
          requester: changeRequester(notice),
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
}
