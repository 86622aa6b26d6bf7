import {
  describeScope,
  requesterLabel,
  type ExceptionRecord,
  type Requester,
} from '../../exceptions/model';
import type { DecisionGuard, ExceptionRequest } from '../../exceptions/store';
import type { Notice, PendingRequestView } from '../../notices/notice';
import { joinRich, md, user, type RichText } from '../mrkdwn';
import type { PostedNotice } from '../notices';
import { editNotice, type SlackAppDeps } from './context';
import type { FormInput } from './exception-form';

/** Mode `approve`: the change awaiting approval is the request, so its AWS principal asks. */
export function changeRequester(notice: Notice): Requester {
  return { awsPrincipal: notice.actor?.arn ?? notice.actor?.principalId ?? 'unknown' };
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
      requester: changeRequester(notice),
      approver: input.user,
      justification: input.justification,
      days: input.days,
      noticeId: notice.id,
    },
    (deps.now ?? Date.now)(),
    guards,
  );
}

export function approvedBy(record: ExceptionRecord): RichText {
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

export function pendingView(request: ExceptionRequest): PendingRequestView {
  return {
    id: request.id,
    requester: requesterLabel(request.requester),
    justification: request.justification,
    days: request.days,
    scope: describeScope(request.scope),
    ...(request.approvals.length > 0 ? { approvals: request.approvals } : {}),
  };
}
