import type { types } from '@slack/bolt';
import { consoleUrl, formatDuration, type Notice } from '../notices/notice';
import { FOUR_EYES_REASON } from './approval-rule';
import {
  SLACK_LIMITS,
  clipMrkdwn,
  escapeMrkdwn,
  fitLines,
  joinRich,
  link,
  md,
  mrkdwn,
  user,
  type RichText,
} from './mrkdwn';

export type Block = types.KnownBlock;

/** Action and view ids the app listens for (one place, so builders and handlers agree). */
export const ACTIONS = {
  requestException: 'rampart_request_exception',
  approveException: 'rampart_approve_exception',
  revertNow: 'rampart_revert_now',
  keepReverting: 'rampart_keep_reverting',
  approveRequest: 'rampart_approve_request',
  denyRequest: 'rampart_deny_request',
} as const;
export const EXCEPTION_MODAL = 'rampart_exception_modal';
export const MODAL_FIELDS = {
  scope: { block: 'scope', action: 'scope_kind' },
  tag: { block: 'tag', action: 'tag_value' },
  duration: { block: 'duration', action: 'duration_days' },
  justification: { block: 'justification', action: 'justification_text' },
} as const;

const HEADLINES: Record<Notice['kind'], string> = {
  reverted: ':rotating_light: Reverted',
  approval: ':hourglass_flowing_sand: Approval needed',
  notify: ':warning: Violation (notify only)',
  failed: ':x: Remediation failed',
};

/** Plain text cut to `max` characters (before escaping, so no entity is cut). */
function clipPlain(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function button(
  text: string,
  actionId: string,
  value: string,
  style?: 'primary' | 'danger',
): types.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: text.slice(0, SLACK_LIMITS.buttonText) },
    action_id: actionId,
    value: value.slice(0, SLACK_LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

function section(text: string): Block {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: clipMrkdwn(text, SLACK_LIMITS.sectionText) },
  };
}

function context(text: RichText): Block {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: clipMrkdwn(mrkdwn(text), SLACK_LIMITS.contextText) }],
  };
}

function field(label: string, value: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text: clipMrkdwn(`*${label}*\n${value}`, SLACK_LIMITS.field) };
}

/** The plain-text fallback Slack shows in notifications and to screen readers (mrkdwn, escaped). */
export function noticeText(notice: Notice): string {
  const { resource } = notice;
  return clipMrkdwn(
    escapeMrkdwn(
      `${HEADLINES[notice.kind].replace(/^:[a-z_]+: /, '')}: ${notice.policy.title} on ${resource.id} (${resource.account}/${resource.region})`,
    ),
    SLACK_LIMITS.messageText,
  );
}

/** The "… and N more" line of a clipped list: where the full list is. */
function moreLine(notice: Notice) {
  return (hidden: number) =>
    `… and ${hidden} more (all of them are in the audit record of event ${notice.eventId})`;
}

/**
 * The Block Kit message for a notice: one per outcome, edited in place as it evolves.
 * Within Slack's limits whatever the notice holds (60 rules, 3,000-character user agents,
 * long histories): lists end in "… and N more", long texts are clipped.
 */
export function noticeBlocks(notice: Notice): Block[] {
  const { resource, actor } = notice;
  const who = actor?.arn ?? actor?.principalId ?? 'unknown principal';
  const from = [actor?.sourceIPAddress, actor?.userAgent].filter(Boolean).join(' via ');
  const fields: types.MrkdwnElement[] = [
    field('Resource', link(consoleUrl(resource), clipPlain(resource.id, 500))),
    field('Account / region', escapeMrkdwn(`${resource.account} / ${resource.region}`)),
    field('Who', escapeMrkdwn(who)),
    field('From', escapeMrkdwn(from || 'unknown')),
    field('Change', escapeMrkdwn(`${notice.eventName} at ${notice.eventTime}`)),
    field('Severity', escapeMrkdwn(`${notice.policy.severity} (${notice.policy.id})`)),
  ];
  if (notice.timeToRevertMs !== undefined) {
    fields.push(field('Time to revert', formatDuration(notice.timeToRevertMs)));
  }
  const head: Block[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: `${HEADLINES[notice.kind]}: ${notice.policy.title}`.slice(0, SLACK_LIMITS.header),
        emoji: true,
      },
    },
    { type: 'section', fields: fields.slice(0, SLACK_LIMITS.fields) },
  ];
  const body: Block[] = [];
  if (notice.changes.length > 0) {
    body.push(
      section(fitLines('*Removed*', notice.changes, SLACK_LIMITS.sectionText, moreLine(notice))),
    );
  } else if (notice.findings.length > 0) {
    body.push(
      section(fitLines('*Found*', notice.findings, SLACK_LIMITS.sectionText, moreLine(notice))),
    );
  }
  if (notice.error) {
    body.push(section(`*AWS error*\n\`\`\`${escapeMrkdwn(notice.error)}\`\`\``));
  }
  if (notice.kind === 'approval' && notice.deadline && notice.open) {
    body.push(
      context(
        md`Left in place until ${notice.deadline}; reverted automatically then unless an exception is approved.`,
      ),
    );
  }
  const request = notice.pendingRequest;
  if (request) {
    const approvals = request.approvals ?? [];
    body.push(
      section(
        mrkdwn([
          ...md`*Exception requested* by ${request.requester} for ${request.days} day(s) on ${request.scope}\n>`,
          request.justification,
          ...(approvals.length > 0
            ? md`\nApproved by ${joinRich(
                approvals.map((a) => [user(a)]),
                ', ',
              )}; ${FOUR_EYES_REASON}.`
            : []),
        ]),
      ),
    );
  }
  const buttons = noticeButtons(notice);
  const actions: Block[] =
    buttons.length > 0
      ? [{ type: 'actions', block_id: `rampart_actions_${notice.id}`, elements: buttons }]
      : [];
  return [
    ...head,
    ...body,
    ...historyBlocks(
      notice.history,
      SLACK_LIMITS.blocks - head.length - body.length - actions.length,
    ),
    ...actions,
  ];
}

/** The first history line and the latest ones that fit, with a count of those left out. */
function historyBlocks(history: readonly RichText[], room: number): Block[] {
  if (history.length <= room) return history.map(context);
  const keep = Math.max(room - 2, 0);
  return [
    context(history[0]!),
    context(md`… ${history.length - 1 - keep} earlier entries not shown`),
    ...history.slice(history.length - keep).map(context),
  ];
}

function noticeButtons(notice: Notice): types.Button[] {
  if (!notice.open) return [];
  if (notice.pendingRequest) {
    const id = notice.pendingRequest.id;
    return [
      button('Approve request', ACTIONS.approveRequest, id, 'primary'),
      button('Deny', ACTIONS.denyRequest, id, 'danger'),
    ];
  }
  switch (notice.kind) {
    case 'approval':
      return [
        button('Approve exception…', ACTIONS.approveException, notice.id, 'primary'),
        button('Revert now', ACTIONS.revertNow, notice.id, 'danger'),
        button('Keep reverting', ACTIONS.keepReverting, notice.id),
      ];
    case 'reverted':
    case 'notify':
      return [button('Request exception…', ACTIONS.requestException, notice.id)];
    default:
      return [];
  }
}
