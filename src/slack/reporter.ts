import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Catalog } from '../engine/catalog';
import type { ReportContext, Reporter } from '../engine/evaluator';
import { noticeIdOf, noticeOf, type Notice } from '../notices/notice';
import { noticeBlocks, noticeText } from './blocks';
import type { RichText } from './mrkdwn';
import type { NoticeStore } from './notices';

/**
 * Web API client settings: a bounded retry with exponential backoff (the client honours
 * 429 Retry-After, and retries 5xx answers and timeouts), so a notice either arrives
 * within about half a minute or fails and is audited as failed.
 */
export function slackClientOptions(overrides: WebClientOptions = {}): WebClientOptions {
  return {
    timeout: 5_000,
    retryConfig: { retries: 4, factor: 2, minTimeout: 250, maxTimeout: 4_000, randomize: true },
    ...overrides,
  };
}

export function createSlackClient(token: string, overrides: WebClientOptions = {}): WebClient {
  return new WebClient(token, slackClientOptions(overrides));
}

export interface SlackReporterOptions {
  /** The client, or how to get it (credentials are read once, lazily). */
  client: WebClient | (() => Promise<WebClient>);
  channel: string;
  notices: NoticeStore;
  catalog: Catalog;
  now?: () => number;
}

/** The line a decided approval adds to its notice (escaped when rendered). */
function approvalOverLine(context: ReportContext): RichText | undefined {
  const { outcome, decision } = context;
  switch (outcome?.status) {
    case 'reverted':
      return [`Reverted: ${decision?.reason ?? 'approval over'}.`];
    case 'excepted':
      return [`Not reverted: ${decision?.reason ?? `exception ${outcome.exceptionId}`}.`];
    case 'already-compliant':
      return ['Already compliant when the approval ended: nothing to revert.'];
    case 'failed':
      return [`Revert failed: ${outcome.error ?? 'unknown error'}`];
    default:
      return undefined;
  }
}

/**
 * Posts one Block Kit notice per outcome and edits it as it evolves (an approval that
 * ends in a revert or an exception updates the same message). The message's channel and
 * ts are kept in the exceptions table.
 */
export class SlackReporter implements Reporter {
  readonly name = 'slack';
  private readonly now: () => number;

  constructor(private readonly options: SlackReporterOptions) {
    this.now = options.now ?? Date.now;
  }

  private async client(): Promise<WebClient> {
    const c = this.options.client;
    return c instanceof WebClient ? c : c();
  }

  async report(context: ReportContext): Promise<void> {
    if (context.trigger.source === 'approval') {
      const posted = await this.options.notices.get(noticeIdOf(context));
      if (posted) return this.approvalOver(context, posted.notice, posted.channel, posted.ts);
    }
    const notice = noticeOf(context, this.options.catalog);
    if (!notice) return;
    // The same event delivered twice (EventBridge and SQS are at-least-once), even at the
    // same instant, posts once: only the delivery that wins the conditional claim posts.
    const { notices } = this.options;
    if (!(await notices.claimPosting(notice.id, this.now()))) return;
    try {
      await this.post(notice);
    } catch (error) {
      await notices.releasePosting(notice.id);
      throw error;
    }
  }

  async post(notice: Notice): Promise<void> {
    const client = await this.client();
    const answer = await client.chat.postMessage({
      channel: this.options.channel,
      text: noticeText(notice),
      blocks: noticeBlocks(notice),
      unfurl_links: false,
    });
    await this.options.notices.put(
      { notice, channel: answer.channel ?? this.options.channel, ts: answer.ts! },
      this.now(),
    );
  }

  /** Rewrites a posted notice (chat.update) and stores what it now shows. */
  async update(notice: Notice, channel: string, ts: string): Promise<void> {
    const client = await this.client();
    await client.chat.update({
      channel,
      ts,
      text: noticeText(notice),
      blocks: noticeBlocks(notice),
    });
    await this.options.notices.put({ notice, channel, ts }, this.now());
  }

  private async approvalOver(
    context: ReportContext,
    previous: Notice,
    channel: string,
    ts: string,
  ): Promise<void> {
    const line = approvalOverLine(context);
    if (!line) return;
    const fresh = noticeOf(context, this.options.catalog);
    const reverted = context.outcome?.status === 'reverted';
    const next: Notice = {
      ...previous,
      ...(fresh && (fresh.kind === 'reverted' || fresh.kind === 'failed')
        ? {
            kind: fresh.kind,
            changes: fresh.changes,
            ...(fresh.timeToRevertMs !== undefined ? { timeToRevertMs: fresh.timeToRevertMs } : {}),
            ...(fresh.error ? { error: fresh.error } : {}),
          }
        : {}),
      // A reverted notice offers "Request exception…" again; other endings close it.
      open: reverted,
      pendingRequest: undefined,
      history: [...previous.history, line],
    };
    await this.update(next, channel, ts);
  }
}
