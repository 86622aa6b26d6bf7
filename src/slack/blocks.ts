import type { types } from '@slack/bolt';
import * as z from 'zod';
import {
  EXCEPTION_DURATION_DAYS,
  MAX_JUSTIFICATION_LENGTH,
  MAX_TAG_SCOPE_LENGTH,
  MIN_JUSTIFICATION_LENGTH,
} from '../exceptions/model';
import { consoleUrl, formatDuration, type Notice } from '../notices/notice';
import {
  SLACK_LIMITS,
  clipMrkdwn,
  escapeMrkdwn,
  fitLines,
  joinRich,
  md,
  mrkdwn,
  user,
  type RichText,
} from './mrkdwn';

export { escapeMrkdwn } from './mrkdwn';

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
    field('Resource', `<${consoleUrl(resource)}|${clipMrkdwn(escapeMrkdwn(resource.id), 500)}>`),
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
              )}; ${FOUR_EYES_NOTE}.`
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

/** Said on a request that has one approval of the two it needs. */
export const FOUR_EYES_NOTE =
  'the author of this change cannot be tied to a Slack user, so a second, different approver is needed';

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

/** What a modal carries back in private_metadata; checked on submission (it is Slack-signed, not ours). */
export const exceptionModalMetadataSchema = z.strictObject({
  noticeId: z.string().min(1).max(200),
  /** `request`: anyone asks, an approver decides later; `grant`: an approver grants now. */
  mode: z.enum(['request', 'grant']),
  channel: z.string().max(32),
  ts: z.string().max(32),
  /** The single-use form token (NoticeStore.issueFormToken). */
  token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
});
export type ExceptionModalMetadata = z.output<typeof exceptionModalMetadataSchema>;

/** The metadata of a submitted modal, or a refusal naming what is wrong. */
export function parseModalMetadata(raw: string): ExceptionModalMetadata | string {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return 'private_metadata is not JSON';
  }
  const parsed = exceptionModalMetadataSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return `private_metadata.${issue.path.join('.') || '(root)'}: ${issue.message}`;
}

/** The modal that asks for scope, duration and justification. */
export function exceptionModal(notice: Notice, metadata: ExceptionModalMetadata): types.View {
  const option = (text: string, value: string) => ({
    text: { type: 'plain_text' as const, text },
    value,
  });
  const resourceOption = option(
    `This resource only (${notice.resource.id})`.slice(0, 75),
    'resource',
  );
  const durations = EXCEPTION_DURATION_DAYS.map((d) =>
    option(d === 1 ? '1 day' : `${d} days`, String(d)),
  );
  return {
    type: 'modal',
    callback_id: EXCEPTION_MODAL,
    private_metadata: JSON.stringify(metadata),
    title: {
      type: 'plain_text',
      text: metadata.mode === 'grant' ? 'Approve exception' : 'Request exception',
    },
    submit: { type: 'plain_text', text: metadata.mode === 'grant' ? 'Approve' : 'Request' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clipMrkdwn(
            `*${escapeMrkdwn(notice.policy.title)}*\n${escapeMrkdwn(notice.resource.arn)}`,
            SLACK_LIMITS.sectionText,
          ),
        },
      },
      {
        type: 'input',
        block_id: MODAL_FIELDS.scope.block,
        label: { type: 'plain_text', text: 'Scope' },
        element: {
          type: 'radio_buttons',
          action_id: MODAL_FIELDS.scope.action,
          initial_option: resourceOption,
          options: [resourceOption, option('Every resource with a tag (in this account)', 'tag')],
        },
      },
      {
        type: 'input',
        block_id: MODAL_FIELDS.tag.block,
        optional: true,
        label: { type: 'plain_text', text: 'Tag (key=value), for a tag scope' },
        hint: {
          type: 'plain_text',
          text: 'Whoever can set this tag can claim the exception for their resource.',
        },
        element: {
          type: 'plain_text_input',
          action_id: MODAL_FIELDS.tag.action,
          max_length: MAX_TAG_SCOPE_LENGTH,
        },
      },
      {
        type: 'input',
        block_id: MODAL_FIELDS.duration.block,
        label: { type: 'plain_text', text: 'Duration' },
        element: {
          type: 'static_select',
          action_id: MODAL_FIELDS.duration.action,
          initial_option: durations[0],
          options: durations,
        },
      },
      {
        type: 'input',
        block_id: MODAL_FIELDS.justification.block,
        label: { type: 'plain_text', text: 'Justification' },
        element: {
          type: 'plain_text_input',
          action_id: MODAL_FIELDS.justification.action,
          multiline: true,
          min_length: MIN_JUSTIFICATION_LENGTH,
          max_length: MAX_JUSTIFICATION_LENGTH,
        },
      },
    ],
  };
}

// ---- terminal rendering (the demo shows what Slack would show) ----

/** mrkdwn to plain text: links as `text (url)`, mentions as `@U123`, entities decoded. */
function mrkdwnToText(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<!subteam\^([A-Z0-9]+)>/g, '@$1')
    .replace(/\*([^*\n]+)\*/g, '$1')
    .replace(/```/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function textOf(t: { text: string } | undefined): string {
  return t ? mrkdwnToText(t.text) : '';
}

/**
 * Renders Block Kit as terminal text, e.g. for the demo: header underlined, fields as
 * `label: value`, context lines prefixed, buttons as `[ Label ]`. Pure; no colours.
 */
export function renderBlocksForTerminal(blocks: readonly Block[], width = 72): string {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'header': {
        const text = mrkdwnToText(block.text.text).replace(/^:[a-z_]+: /, '');
        lines.push(text, '='.repeat(Math.min(width, text.length)));
        break;
      }
      case 'section': {
        if (block.text) lines.push(...textOf(block.text).split('\n'));
        for (const field of block.fields ?? []) {
          const [label, ...rest] = textOf(field).split('\n');
          lines.push(`${label}: ${rest.join(' ')}`);
        }
        break;
      }
      case 'context':
        for (const element of block.elements) {
          if ('text' in element) lines.push(`  · ${mrkdwnToText(element.text)}`);
        }
        break;
      case 'actions':
        lines.push(
          block.elements
            .map((e) => ('text' in e && e.text ? `[ ${e.text.text} ]` : ''))
            .filter(Boolean)
            .join(' '),
        );
        break;
      case 'divider':
        lines.push('-'.repeat(width));
        break;
      default:
        break;
    }
  }
  return `${lines.join('\n')}\n`;
}
