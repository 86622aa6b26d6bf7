import type { types } from '@slack/bolt';
import { EXCEPTION_DURATION_DAYS } from '../exceptions/model';
import { consoleUrl, formatDuration, type Notice } from '../notices/notice';

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

/** Slack mrkdwn treats &, < and > specially; user-controlled text is escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function bullets(lines: string[]): string {
  return lines.map((l) => `• ${escapeMrkdwn(l)}`).join('\n');
}

function button(
  text: string,
  actionId: string,
  value: string,
  style?: 'primary' | 'danger',
): types.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

/** The plain-text fallback Slack shows in notifications and to screen readers. */
export function noticeText(notice: Notice): string {
  return `${HEADLINES[notice.kind].replace(/^:[a-z_]+: /, '')}: ${notice.policy.title} on ${notice.resource.id} (${notice.resource.account}/${notice.resource.region})`;
}

/** The Block Kit message for a notice: one per outcome, edited in place as it evolves. */
export function noticeBlocks(notice: Notice): Block[] {
  const { resource, actor } = notice;
  const who = actor?.arn ?? actor?.principalId ?? 'unknown principal';
  const from = [actor?.sourceIPAddress, actor?.userAgent].filter(Boolean).join(' via ');
  const fields: types.MrkdwnElement[] = [
    { type: 'mrkdwn', text: `*Resource*\n<${consoleUrl(resource)}|${escapeMrkdwn(resource.id)}>` },
    { type: 'mrkdwn', text: `*Account / region*\n${resource.account} / ${resource.region}` },
    { type: 'mrkdwn', text: `*Who*\n${escapeMrkdwn(who)}` },
    { type: 'mrkdwn', text: `*From*\n${escapeMrkdwn(from || 'unknown')}` },
    { type: 'mrkdwn', text: `*Change*\n${escapeMrkdwn(notice.eventName)} at ${notice.eventTime}` },
    { type: 'mrkdwn', text: `*Severity*\n${notice.policy.severity} (${notice.policy.id})` },
  ];
  if (notice.timeToRevertMs !== undefined) {
    fields.push({
      type: 'mrkdwn',
      text: `*Time to revert*\n${formatDuration(notice.timeToRevertMs)}`,
    });
  }
  const blocks: Block[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: `${HEADLINES[notice.kind]}: ${notice.policy.title}`.slice(0, 150),
        emoji: true,
      },
    },
    { type: 'section', fields: fields.slice(0, 10) },
  ];
  if (notice.changes.length > 0) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Removed*\n${bullets(notice.changes)}` },
    });
  } else if (notice.findings.length > 0) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Found*\n${bullets(notice.findings)}` },
    });
  }
  if (notice.error) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*AWS error*\n\`\`\`${escapeMrkdwn(notice.error)}\`\`\`` },
    });
  }
  if (notice.kind === 'approval' && notice.deadline && notice.open) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Left in place until ${notice.deadline}; reverted automatically then unless an exception is approved.`,
        },
      ],
    });
  }
  const request = notice.pendingRequest;
  if (request) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Exception requested* by <@${request.requester}> for ${request.days} day(s) on ${escapeMrkdwn(request.scope)}\n>${escapeMrkdwn(request.justification)}`,
      },
    });
  }
  for (const line of notice.history) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: line }] });
  }
  const buttons = noticeButtons(notice);
  if (buttons.length > 0) {
    blocks.push({ type: 'actions', block_id: `rampart_actions_${notice.id}`, elements: buttons });
  }
  return blocks;
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

export interface ExceptionModalMetadata {
  noticeId: string;
  /** `request`: anyone asks, an approver decides later; `grant`: an approver grants now. */
  mode: 'request' | 'grant';
  channel: string;
  ts: string;
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
          text: `*${escapeMrkdwn(notice.policy.title)}*\n${escapeMrkdwn(notice.resource.arn)}`,
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
        element: { type: 'plain_text_input', action_id: MODAL_FIELDS.tag.action },
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
          min_length: 10,
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
