import type { types } from '@slack/bolt';
import * as z from 'zod';
import {
  EXCEPTION_DURATION_DAYS,
  MAX_JUSTIFICATION_LENGTH,
  MAX_TAG_SCOPE_LENGTH,
  MIN_JUSTIFICATION_LENGTH,
} from '../exceptions/model';
import type { Notice } from '../notices/notice';
import { EXCEPTION_MODAL, MODAL_FIELDS } from './blocks';
import { SLACK_LIMITS, clipMrkdwn, escapeMrkdwn } from './mrkdwn';

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
