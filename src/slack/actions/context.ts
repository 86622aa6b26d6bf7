import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AuditLog } from '../../audit';
import type { SlackConfig } from '../../config/slack';
import type { Actor } from '../../domain';
import { errorMessage } from '../../errors';
import type { ApprovalDeadline, ApprovalDeadlines } from '../../exceptions/deadline';
import type { Requester } from '../../exceptions/model';
import type { DecisionGuard, ExceptionStore } from '../../exceptions/store';
import type { Notice } from '../../notices/notice';
import { judgeApprover, type ApprovalVerdict } from '../approval-rule';
import { Approvers } from '../authorization';
import { SLACK_LIMITS, clipMrkdwn, md, mrkdwn, type RichText } from '../mrkdwn';
import type { NoticeStore, PostedNotice } from '../notices';
import type { SlackReporter } from '../reporter';

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

export type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export interface Click {
  user: string;
  channel?: string;
  value: string;
  triggerId: string;
}

/** What every handler shares: the dependencies and the few steps they all take. */
export class SlackHandlerContext {
  readonly approvers: Approvers;
  readonly now: () => number;

  constructor(readonly deps: SlackAppDeps) {
    this.approvers = new Approvers(deps.config.approvers, (usergroup, error) =>
      deps.audit.logger.error('cannot list user group members; treating as not an approver', {
        usergroup,
        error: errorMessage(error),
      }),
    );
    this.now = deps.now ?? Date.now;
  }

  click(args: ButtonArgs): Click {
    const { body, action } = args;
    return {
      user: body.user.id,
      channel: body.channel?.id,
      value: action.value ?? '',
      triggerId: body.trigger_id,
    };
  }

  /** Audits a refusal and tells the user (ephemeral, escaped) when there is a channel. */
  async refuse(
    client: WebClient,
    where: { channel?: string; user: string },
    action: string,
    reason: RichText | string,
    fields: Record<string, unknown> = {},
  ): Promise<void> {
    const text = mrkdwn(reason);
    this.deps.audit.humanAction(action, { user: where.user, refused: text, ...fields });
    if (where.channel) {
      await client.chat.postEphemeral({
        channel: where.channel,
        user: where.user,
        text: clipMrkdwn(`:no_entry: ${text}`, SLACK_LIMITS.messageText),
      });
    }
  }

  /** Refuses non-approvers; true when the user may go on. */
  async requireApprover(
    client: WebClient,
    click: { user: string; channel?: string },
    action: string,
    fields: Record<string, unknown>,
  ): Promise<boolean> {
    if (await this.approvers.includes(click.user, client)) return true;
    await this.refuse(
      client,
      click,
      action,
      md`only approvers (${this.approvers.describe()}) may decide exceptions`,
      fields,
    );
    return false;
  }

  /** The notice a button belongs to; a refusal when it has expired (TTL) or is unknown. */
  async loadNotice(
    client: WebClient,
    click: { user: string; channel?: string; value: string },
    action: string,
  ): Promise<PostedNotice | undefined> {
    const posted = click.value ? await this.deps.notices.get(click.value) : undefined;
    if (!posted) {
      await this.refuse(client, click, action, 'this notice is unknown or has expired', {
        noticeId: click.value,
      });
    }
    return posted;
  }

  /** Whether an approval notice can still be decided (not decided, not closed). */
  static undecided(posted: PostedNotice): boolean {
    return posted.notice.kind === 'approval' && posted.notice.open && !posted.decision;
  }

  /** The guard that makes a grant the notice's one decision. */
  grantDecision(noticeId: string, by: string): DecisionGuard {
    return this.deps.notices.decisionGuard(noticeId, {
      decision: 'granted',
      by,
      at: new Date(this.now()).toISOString(),
    });
  }

  judge(
    client: WebClient,
    question: {
      approver: string;
      author: Actor | undefined;
      requester?: Requester;
      approvals?: string[];
    },
  ): Promise<ApprovalVerdict> {
    return judgeApprover(client, this.deps.config, question, (email, error) =>
      this.deps.audit.logger.error('cannot look up the author in Slack by email', {
        email,
        error: errorMessage(error),
      }),
    );
  }

  /** Rewrites a posted notice with a change and, optionally, a new history line. */
  async editNotice(posted: PostedNotice, change: Partial<Notice>, line?: RichText): Promise<void> {
    await editNotice(this.deps, posted, change, line);
  }
}

export async function editNotice(
  deps: Pick<SlackAppDeps, 'reporter'>,
  posted: PostedNotice,
  change: Partial<Notice>,
  line?: RichText,
): Promise<void> {
  const next: Notice = {
    ...posted.notice,
    ...change,
    history: line ? [...posted.notice.history, line] : posted.notice.history,
  };
  await deps.reporter.update(next, posted.channel, posted.ts);
}
