import {
  App,
  type AppOptions,
  type BlockButtonAction,
  type Receiver,
  type SlackActionMiddlewareArgs,
  type AllMiddlewareArgs,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AuditLog } from '../audit';
import type { SlackConfig } from '../config/slack';
import { errorMessage } from '../errors';
import type { ApprovalDeadline, ApprovalDeadlines } from '../exceptions/deadline';
import {
  ExceptionError,
  describeScope,
  parseDurationDays,
  requesterLabel,
  validateJustification,
  validateScope,
  type ExceptionDurationDays,
  type ExceptionRecord,
  type ExceptionScope,
} from '../exceptions/model';
import type { ExceptionStore } from '../exceptions/store';
import type { Notice } from '../notices/notice';
import { Approvers, madeTheChange } from './authorization';
import {
  ACTIONS,
  EXCEPTION_MODAL,
  MODAL_FIELDS,
  exceptionModal,
  type ExceptionModalMetadata,
} from './blocks';
import type { NoticeStore, PostedNotice } from './notices';
import { slackClientOptions, type SlackReporter } from './reporter';

export interface SlackAppDeps {
  config: SlackConfig;
  exceptions: ExceptionStore;
  notices: NoticeStore;
  /** Edits posted notices (the same code path as the evaluator's notices). */
  reporter: SlackReporter;
  audit: AuditLog;
  /** Hands an approval-over event to the evaluator (async Lambda invoke in AWS, in-process locally). */
  revertNow(deadline: ApprovalDeadline): Promise<void>;
  /** Cancels pending deadlines once decided; optional (a fired deadline then finds the exception). */
  deadlines?: ApprovalDeadlines;
  now?: () => number;
}

export const SLASH_COMMAND = '/rampart';

/** Bot scopes the app needs, by Web API method it calls (the manifest must grant them). */
export const REQUIRED_SCOPES: Record<string, readonly string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read', 'users:read.email'],
  [SLASH_COMMAND]: ['commands'],
};

export const COMMAND_HELP = [
  '`/rampart exceptions`: active exceptions',
  '`/rampart revoke <exception-id>`: revoke one now (approvers and its requester)',
  '`/rampart status <resource-arn>`: active exceptions on a resource',
  '`/rampart help`: this text',
].join('\n');

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

function tagScope(raw: string | undefined | null, account: string): ExceptionScope {
  const match = /^\s*([^=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(raw ?? '');
  if (!match) {
    throw new ExceptionError('a tag scope needs the tag as key=value', 'tag');
  }
  return { kind: 'tag', account, key: match[1]!, value: match[2]! };
}

/** Registers Rampart's actions, modal and slash command on a bolt app. */
export function registerRampartHandlers(app: App, deps: SlackAppDeps): void {
  const approvers = new Approvers(deps.config.approvers, (usergroup, error) =>
    deps.audit.logger.error('cannot list user group members; treating as not an approver', {
      usergroup,
      error: errorMessage(error),
    }),
  );
  const now = deps.now ?? Date.now;

  async function refuse(
    client: WebClient,
    where: { channel?: string; user: string },
    action: string,
    reason: string,
    fields: Record<string, unknown> = {},
  ): Promise<void> {
    deps.audit.humanAction(action, { user: where.user, refused: reason, ...fields });
    if (where.channel) {
      await client.chat.postEphemeral({
        channel: where.channel,
        user: where.user,
        text: `:no_entry: ${reason}`,
      });
    }
  }

  /** Mode approve: the approver must not be who made the change (fails closed). */
  async function selfApproval(client: WebClient, user: string, notice: Notice) {
    try {
      return (await madeTheChange(client, user, notice.actor?.arn))
        ? `nobody approves their own request: <@${user}> made this change as ${notice.actor?.arn}`
        : undefined;
    } catch (error) {
      return `cannot verify that <@${user}> did not make this change (${errorMessage(error)})`;
    }
  }

  /** The notice a button belongs to; a refusal when it has expired (TTL) or is unknown. */
  async function loadNotice(
    client: WebClient,
    click: { user: string; channel?: string; value: string },
    action: string,
  ): Promise<PostedNotice | undefined> {
    const posted = click.value ? await deps.notices.get(click.value) : undefined;
    if (!posted) {
      await refuse(client, click, action, 'this notice is unknown or has expired', {
        noticeId: click.value,
      });
    }
    return posted;
  }

  function clickContext(args: ButtonArgs) {
    const { body, action } = args;
    return {
      user: body.user.id,
      channel: body.channel?.id,
      value: action.value ?? '',
      triggerId: body.trigger_id,
    };
  }

  // "Request exception…": anyone may ask; an approver other than them decides.
  app.action<BlockButtonAction>(ACTIONS.requestException, async (args) => {
    await args.ack();
    const click = clickContext(args);
    const { user, channel, triggerId } = click;
    const posted = await loadNotice(args.client, click, 'request-exception');
    if (!posted) return;
    const metadata: ExceptionModalMetadata = {
      noticeId: posted.notice.id,
      mode: 'request',
      channel: posted.channel,
      ts: posted.ts,
    };
    await args.client.views.open({
      trigger_id: triggerId,
      view: exceptionModal(posted.notice, metadata),
    });
    deps.audit.humanAction('exception-request-opened', {
      user,
      channel,
      noticeId: posted.notice.id,
    });
  });

  // "Approve exception…" (mode approve): only approvers may even open the modal.
  app.action<BlockButtonAction>(ACTIONS.approveException, async (args) => {
    await args.ack();
    const { user, channel, value, triggerId } = clickContext(args);
    if (!(await approvers.includes(user, args.client))) {
      return refuse(
        args.client,
        { channel, user },
        'approve-exception',
        `only approvers (${approvers.describe()}) may approve exceptions`,
        { noticeId: value },
      );
    }
    const posted = await loadNotice(args.client, { user, channel, value }, 'approve-exception');
    if (!posted) return;
    if (posted.notice.kind !== 'approval' || !posted.notice.open) {
      return refuse(
        args.client,
        { channel, user },
        'approve-exception',
        'this approval is already decided',
        { noticeId: value },
      );
    }
    const own = await selfApproval(args.client, user, posted.notice);
    if (own) {
      return refuse(args.client, { channel, user }, 'approve-exception', own, { noticeId: value });
    }
    const metadata: ExceptionModalMetadata = {
      noticeId: posted.notice.id,
      mode: 'grant',
      channel: posted.channel,
      ts: posted.ts,
    };
    await args.client.views.open({
      trigger_id: triggerId,
      view: exceptionModal(posted.notice, metadata),
    });
  });

  app.view(EXCEPTION_MODAL, async ({ ack, body, view, client }) => {
    const user = body.user.id;
    const metadata = JSON.parse(view.private_metadata) as ExceptionModalMetadata;
    const values = view.state.values;
    const posted = await deps.notices.get(metadata.noticeId);
    if (!posted) {
      await ack({
        response_action: 'errors',
        errors: { [MODAL_FIELDS.justification.block]: 'This notice has expired.' },
      });
      return;
    }
    const { notice } = posted;
    let scope: ExceptionScope;
    let days: ReturnType<typeof parseDurationDays>;
    let justification: string;
    try {
      const kind =
        values[MODAL_FIELDS.scope.block]?.[MODAL_FIELDS.scope.action]?.selected_option?.value;
      scope =
        kind === 'tag'
          ? tagScope(
              values[MODAL_FIELDS.tag.block]?.[MODAL_FIELDS.tag.action]?.value,
              notice.resource.account,
            )
          : { kind: 'resource', arn: notice.resource.arn };
      validateScope(scope, notice.resource);
      days = parseDurationDays(
        values[MODAL_FIELDS.duration.block]?.[MODAL_FIELDS.duration.action]?.selected_option
          ?.value ?? undefined,
      );
      justification = validateJustification(
        values[MODAL_FIELDS.justification.block]?.[MODAL_FIELDS.justification.action]?.value ??
          undefined,
      );
    } catch (error) {
      const field = error instanceof ExceptionError ? error.subject : undefined;
      const block =
        field === 'scope' || field === 'tag'
          ? MODAL_FIELDS.tag.block
          : field === 'duration'
            ? MODAL_FIELDS.duration.block
            : MODAL_FIELDS.justification.block;
      deps.audit.humanAction(`exception-${metadata.mode}`, {
        user,
        refused: errorMessage(error),
        noticeId: notice.id,
      });
      await ack({ response_action: 'errors', errors: { [block]: (error as Error).message } });
      return;
    }

    if (metadata.mode === 'request') {
      const request = await deps.exceptions.createRequest({
        policyId: notice.policy.id,
        resource: notice.resource,
        scope,
        requester: user,
        justification,
        days,
        noticeId: notice.id,
        now: now(),
      });
      await ack();
      deps.audit.humanAction('exception-requested', {
        user,
        requestId: request.id,
        policyId: notice.policy.id,
        scope,
        days,
        justification,
      });
      await editNotice(deps, posted, {
        pendingRequest: {
          id: request.id,
          requester: user,
          justification,
          days,
          scope: describeScope(scope),
        },
      });
      return;
    }

    // Grant: re-check, the modal could outlive a change of approvers.
    if (!(await approvers.includes(user, client))) {
      await ack({
        response_action: 'errors',
        errors: { [MODAL_FIELDS.justification.block]: 'Only approvers may approve exceptions.' },
      });
      deps.audit.humanAction('exception-granted', {
        user,
        refused: 'not an approver',
        noticeId: notice.id,
      });
      return;
    }
    const own = await selfApproval(client, user, notice);
    if (own) {
      deps.audit.humanAction('exception-granted', { user, refused: own, noticeId: notice.id });
      await ack({ response_action: 'errors', errors: { [MODAL_FIELDS.justification.block]: own } });
      return;
    }
    let record: ExceptionRecord;
    try {
      record = await grantFromNotice(deps, notice, { user, scope, days, justification });
    } catch (error) {
      if (!(error instanceof ExceptionError)) throw error;
      deps.audit.humanAction('exception-granted', {
        user,
        refused: error.message,
        noticeId: notice.id,
      });
      await ack({
        response_action: 'errors',
        errors: { [MODAL_FIELDS.justification.block]: error.message },
      });
      return;
    }
    await ack();
    await announceGrant(deps, posted, record);
  });

  app.action<BlockButtonAction>(ACTIONS.approveRequest, async (args) => {
    await args.ack();
    const { user, channel, value } = clickContext(args);
    if (!(await approvers.includes(user, args.client))) {
      return refuse(
        args.client,
        { channel, user },
        'approve-request',
        `only approvers (${approvers.describe()}) may approve exceptions`,
        { requestId: value },
      );
    }
    let record: ExceptionRecord;
    try {
      record = await deps.exceptions.approveRequest(value, user, now());
    } catch (error) {
      if (!(error instanceof ExceptionError)) throw error;
      return refuse(args.client, { channel, user }, 'approve-request', error.message, {
        requestId: value,
      });
    }
    deps.audit.humanAction('exception-approved', {
      user,
      requestId: value,
      exceptionId: record.id,
      policyId: record.policyId,
      scope: record.scope,
    });
    if (record.noticeId) {
      const posted = await deps.notices.get(record.noticeId);
      if (posted) {
        await editNotice(
          deps,
          posted,
          { pendingRequest: undefined },
          `:white_check_mark: Exception \`${record.id}\` requested by ${requesterLabel(record.requester)}, approved by <@${user}> until ${record.expiresAt} (${describeScope(record.scope)}).`,
        );
      }
    }
  });

  app.action<BlockButtonAction>(ACTIONS.denyRequest, async (args) => {
    await args.ack();
    const { user, channel, value } = clickContext(args);
    if (!(await approvers.includes(user, args.client))) {
      return refuse(
        args.client,
        { channel, user },
        'deny-request',
        `only approvers (${approvers.describe()}) may decide exception requests`,
        { requestId: value },
      );
    }
    try {
      const request = await deps.exceptions.denyRequest(value, user, now());
      deps.audit.humanAction('exception-denied', { user, requestId: value });
      const posted = request.noticeId ? await deps.notices.get(request.noticeId) : undefined;
      if (posted)
        await editNotice(
          deps,
          posted,
          { pendingRequest: undefined },
          `Exception request ${value} denied by <@${user}>.`,
        );
    } catch (error) {
      if (!(error instanceof ExceptionError)) throw error;
      return refuse(args.client, { channel, user }, 'deny-request', error.message, {
        requestId: value,
      });
    }
  });

  // "Revert now" and "Keep reverting": the safe direction, open to anyone in the channel.
  for (const [actionId, verb] of [
    [ACTIONS.revertNow, 'asked to revert now'],
    [ACTIONS.keepReverting, 'declined the exception: keep reverting'],
  ] as const) {
    app.action<BlockButtonAction>(actionId, async (args) => {
      await args.ack();
      const { user, channel, value } = clickContext(args);
      const posted = await loadNotice(args.client, { user, channel, value }, actionId);
      if (!posted) return;
      const { notice } = posted;
      if (notice.kind !== 'approval' || !notice.open) {
        return refuse(
          args.client,
          { channel, user },
          actionId,
          'this approval is already decided',
          { noticeId: value },
        );
      }
      deps.audit.humanAction(actionId === ACTIONS.revertNow ? 'revert-now' : 'keep-reverting', {
        user,
        noticeId: notice.id,
        policyId: notice.policy.id,
        resource: notice.resource.arn,
      });
      await editNotice(deps, posted, { open: false }, `<@${user}> ${verb}.`);
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
        deadline: new Date(now()).toISOString(),
        reason: 'revert-now',
        requestedBy: user,
      });
    });
  }

  app.command(SLASH_COMMAND, async ({ ack, command, client }) => {
    const [sub = 'help', ...args] = command.text.trim().split(/\s+/).filter(Boolean);
    const user = command.user_id;
    const reply = (text: string) => ack({ response_type: 'ephemeral', text });
    switch (sub) {
      case 'help':
        return reply(COMMAND_HELP);
      case 'exceptions': {
        const list = await deps.exceptions.listActive(now());
        return reply(
          list.length === 0 ? 'No active exceptions.' : list.map(formatException).join('\n'),
        );
      }
      case 'status': {
        const arn = args[0];
        if (!arn?.startsWith('arn:'))
          return reply('Usage: `/rampart status <resource-arn>` (an ARN starting with `arn:`)');
        const list = await deps.exceptions.listActive(now(), { arn });
        return reply(
          list.length === 0
            ? `No active exception on ${arn}: violations are handled as configured.`
            : list.map(formatException).join('\n'),
        );
      }
      case 'revoke': {
        const id = args[0];
        if (!id) return reply('Usage: `/rampart revoke <exception-id>`');
        const existing = await deps.exceptions.get(id);
        const ownRequest =
          existing &&
          'slackUserId' in existing.requester &&
          existing.requester.slackUserId === user;
        if (!ownRequest && !(await approvers.includes(user, client))) {
          deps.audit.humanAction('revoke', {
            user,
            refused: 'not an approver nor the requester',
            exceptionId: id,
          });
          return reply(
            `:no_entry: only approvers (${approvers.describe()}) or the requester may revoke ${id}`,
          );
        }
        try {
          const revoked = await deps.exceptions.revoke(id, user, now());
          deps.audit.humanAction('revoke', {
            user,
            exceptionId: id,
            policyId: revoked.policyId,
            scope: revoked.scope,
          });
          return reply(
            `Exception \`${id}\` revoked: the next change to ${describeScope(revoked.scope)} is judged without it.`,
          );
        } catch (error) {
          if (!(error instanceof ExceptionError)) throw error;
          deps.audit.humanAction('revoke', { user, refused: error.message, exceptionId: id });
          return reply(`:no_entry: ${error.message}`);
        }
      }
      default:
        return reply(
          `Unknown subcommand \`${sub}\`; allowed: exceptions, revoke, status, help.\n${COMMAND_HELP}`,
        );
    }
  });

  // The app was removed or its token revoked: notices will fail from now on; say so loudly.
  for (const event of ['app_uninstalled', 'tokens_revoked'] as const) {
    app.event(event, async ({ body }) => {
      deps.audit.logger.error(`slack ${event}: notices will fail until the app is reinstalled`, {
        team: body.team_id,
      });
    });
  }

  app.error(async (error) => {
    deps.audit.logger.error('slack handler failed', { error: errorMessage(error) });
  });
}

/** Rewrites a posted notice with a change and, optionally, a new history line. */
async function editNotice(
  deps: Pick<SlackAppDeps, 'reporter'>,
  posted: PostedNotice,
  change: Partial<Notice>,
  line?: string,
): Promise<void> {
  const next: Notice = {
    ...posted.notice,
    ...change,
    history: line ? [...posted.notice.history, line] : posted.notice.history,
  };
  await deps.reporter.update(next, posted.channel, posted.ts);
}

/**
 * Mode `approve`: an approver grants an exception on an approval notice. The change that
 * awaits approval is the request, so its AWS principal is the requester.
 */
export async function grantFromNotice(
  deps: Pick<SlackAppDeps, 'exceptions' | 'now'>,
  notice: Notice,
  input: {
    user: string;
    scope: ExceptionScope;
    days: ExceptionDurationDays;
    justification: string;
  },
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
    { open: false },
    `:white_check_mark: Exception \`${record.id}\` approved by <@${record.approver}> until ${record.expiresAt} (${describeScope(record.scope)}).`,
  );
}

function formatException(e: ExceptionRecord): string {
  return `\`${e.id}\` ${e.policyId} on ${describeScope(e.scope)}, approved by <@${e.approver}> for ${requesterLabel(e.requester)} until ${e.expiresAt}: ${e.justification}`;
}

export interface CreateSlackAppOptions {
  token: string;
  receiver: Receiver;
  /** Test and local overrides, e.g. `slackApiUrl` for a stand-in Web API. */
  clientOptions?: AppOptions['clientOptions'];
  deps: SlackAppDeps;
}

/** One bolt app for Lambda (AwsLambdaReceiver) and local runs (HTTPReceiver); signatures checked by the receiver. */
export function createSlackApp(options: CreateSlackAppOptions): App {
  const app = new App({
    token: options.token,
    receiver: options.receiver,
    clientOptions: slackClientOptions(options.clientOptions ?? {}),
  });
  registerRampartHandlers(app, options.deps);
  return app;
}
