import type { WebClient } from '@slack/web-api';
import type { Block } from '../slack/blocks';
import { escapeMrkdwn } from '../slack/mrkdwn';
import type { Digest, DigestRow } from './model';
import {
  frameworkText,
  overflowLine,
  periodText,
  sweepOpenText,
  timeToRevertText,
  withChange,
} from './text';

/** Slack's limits on one message: blocks, and characters of one text object. */
export const SLACK_LIMITS = { blocks: 50, textChars: 3000, headerChars: 150 } as const;
/** Rows shown at most: a digest is a summary, the HTML report has every row. */
export const SLACK_MAX_ROWS = 60;
const MAX_ROW_SECTIONS = 12;
const MAX_LINE_CHARS = 400;

function clip(line: string, max = MAX_LINE_CHARS): string {
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/**
 * Packs lines into texts of at most `maxChars` each, in at most `maxTexts` texts; lines
 * that do not fit are counted in a closing overflow line (which always fits).
 */
export function packLines(
  lines: readonly string[],
  options: {
    maxChars: number;
    maxTexts: number;
    what: string;
    heading?: string;
    /** How many items there are in all, when `lines` holds only the first of them. */
    total?: number;
  },
): string[] {
  const total = options.total ?? lines.length;
  const texts: string[] = [];
  let current = options.heading ?? '';
  let used = 0;
  // Room kept in the last text for the overflow line.
  const reserve = overflowLine(total, options.what).length + 1;
  for (const line of lines) {
    const candidate = current ? `${current}\n${line}` : line;
    const lastText = texts.length === options.maxTexts - 1;
    if (candidate.length <= options.maxChars - (lastText ? reserve : 0)) {
      current = candidate;
      used++;
      continue;
    }
    if (lastText) break;
    texts.push(current);
    current = line;
    used++;
  }
  if (used < total) {
    const more = overflowLine(total - used, options.what);
    current = current ? `${current}\n${more}` : more;
  }
  if (current) texts.push(current);
  return texts;
}

function rowLine(r: DigestRow): string {
  return clip(
    `• *${escapeMrkdwn(r.policy)}* · ${escapeMrkdwn(r.account)} — open ${withChange(r.open, r.previousOpen)}, reverted ${r.reverted}, exceptions +${r.granted}/−${r.denied}, expiring ${r.expiringSoon}, time to revert ${timeToRevertText(r.timeToRevert)}`,
  );
}

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** The digest as one Block Kit message within Slack's limits. */
export function digestBlocks(digest: Digest): { text: string; blocks: Block[] } {
  const { totals } = digest;
  const text = `Rampart digest: ${totals.open} open violation(s), ${totals.reverted} reverted, ${periodText(digest)}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Rampart compliance digest' } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: clip(
            `${periodText(digest)}${digest.sweep ? ` · open violations from the sweep of ${digest.sweep.startedAt} (${digest.sweep.resources} resources, ${digest.sweep.notApplicable} not applicable)` : ' · no sweep has run yet'}`,
          ),
        },
      ],
    },
    {
      type: 'section',
      fields: [
        `*Open violations*\n${withChange(totals.open, totals.previousOpen)}`,
        `*Reverted*\n${totals.reverted}`,
        `*Exceptions granted / denied*\n${totals.granted} / ${totals.denied}`,
        `*Expiring within 7 days*\n${totals.expiringSoon}`,
        `*Time to revert*\n${timeToRevertText(totals.timeToRevert)}`,
        `*Drift reverted by the sweep*\n${sweepOpenText(totals.sweepOpenAtMost)}`,
      ].map((t) => ({ type: 'mrkdwn', text: t })),
    },
    { type: 'divider' },
  ];
  const rows = digest.rows.slice(0, SLACK_MAX_ROWS).map(rowLine);
  const rowTexts: string[] =
    digest.rows.length === 0
      ? ['*By policy and account*\nNothing to report.']
      : packLines(rows, {
          maxChars: SLACK_LIMITS.textChars,
          maxTexts: MAX_ROW_SECTIONS,
          what: 'policy/account row',
          heading: '*By policy and account*',
          total: digest.rows.length,
        });
  blocks.push(...rowTexts.map(section));
  if (digest.topActors.length > 0) {
    blocks.push(
      ...packLines(
        digest.topActors.map((a) => clip(`• ${escapeMrkdwn(a.actor)}: ${a.violations}`)),
        {
          maxChars: SLACK_LIMITS.textChars,
          maxTexts: 1,
          what: 'actor',
          heading: '*Top actors causing violations*',
        },
      ).map(section),
    );
  }
  if (digest.frameworks.length > 0) {
    blocks.push(
      ...packLines(
        digest.frameworks.map((f) => clip(`• ${escapeMrkdwn(frameworkText(f))}`)),
        {
          maxChars: SLACK_LIMITS.textChars,
          maxTexts: 1,
          what: 'framework',
          heading: '*Framework controls*',
        },
      ).map(section),
    );
  }
  if (digest.grace.length > 0) {
    blocks.push(
      ...packLines(
        digest.grace.map((g) =>
          clip(`• ${escapeMrkdwn(g.account)} until ${g.until.slice(0, 16).replace('T', ' ')} UTC`),
        ),
        {
          maxChars: SLACK_LIMITS.textChars,
          maxTexts: 1,
          what: 'account in grace',
          heading: '*Accounts in their grace period (notify only)*',
        },
      ).map(section),
    );
  }
  if (digest.expiring.length > 0) {
    blocks.push(
      ...packLines(
        digest.expiring.map((e) =>
          clip(
            `• ${e.expiresAt.slice(0, 16).replace('T', ' ')} UTC · *${escapeMrkdwn(e.policy)}* · ${escapeMrkdwn(e.scope)} (${escapeMrkdwn(e.id)})`,
          ),
        ),
        {
          maxChars: SLACK_LIMITS.textChars,
          maxTexts: 2,
          what: 'expiring exception',
          heading: '*Exceptions expiring within 7 days*',
        },
      ).map(section),
    );
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: 'Every row, with charts: `npx rampart digest --html digest.html`',
      },
    ],
  });
  return { text, blocks };
}

/** Posts the digest to a channel through the Web API client (its retry policy applies). */
export async function postDigestToSlack(
  client: WebClient,
  channel: string,
  digest: Digest,
): Promise<{ channel: string; ts: string }> {
  const { text, blocks } = digestBlocks(digest);
  const out = await client.chat.postMessage({ channel, text, blocks });
  return { channel: String(out.channel ?? channel), ts: String(out.ts) };
}
