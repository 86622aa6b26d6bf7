import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import { SNS_LIMITS, digestEmail, publishDigestToSns } from '../../src/digest/email';
import { MAX_BARS, digestHtml } from '../../src/digest/html';
import { computeDigest, type Digest } from '../../src/digest/model';
import { SLACK_LIMITS, digestBlocks, postDigestToSlack } from '../../src/digest/slack';
import { digestText } from '../../src/digest/text';
import { createSlackClient } from '../../src/slack/reporter';
import { SlackApiStandIn } from '../support/slack-api';
import { largeDigest } from './large';
import { topicWithQueue } from './seed';

const REGION = 'mx-central-1'; // this file's own region in the shared moto server

/** Every `text` string of a Block Kit payload, with the path it was found at. */
function texts(node: unknown, path = ''): { path: string; text: string }[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => texts(n, `${path}[${i}]`));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === 'text' && typeof v === 'string'
      ? [{ path: `${path}.${k}`, text: v }]
      : texts(v, `${path}.${k}`),
  );
}

const small: Digest = computeDigest({
  generatedAt: '2026-03-16T06:00:00.000Z',
  from: '2026-03-09T06:00:00.000Z',
  to: '2026-03-16T06:00:00.000Z',
  schedule: 'weekly',
  outcomes: [
    {
      time: '2026-03-15T06:00:00.000Z',
      source: 'cloudtrail',
      eventId: 'e1',
      eventName: 'AuthorizeSecurityGroupIngress',
      policy: 'sg-no-public-ingress',
      resourceType: 'AWS::EC2::SecurityGroup',
      resourceId: 'sg-1',
      arn: 'arn:aws:ec2:eu-west-1:111111111111:security-group/sg-1',
      account: '111111111111',
      region: 'eu-west-1',
      status: 'reverted',
      actor: 'arn:aws:iam::111111111111:user/<b>mallory</b>&co',
      timeToRevertMs: 4200,
    },
  ],
  decisions: [],
  activeExceptions: [],
  pastDigests: [
    {
      generatedAt: '2026-03-09T06:00:00.000Z',
      from: '2026-03-02T06:00:00.000Z',
      to: '2026-03-09T06:00:00.000Z',
      openViolations: 2,
      byPolicyAccount: [{ policy: 'sg-no-public-ingress', account: '111111111111', open: 2 }],
    },
  ],
  topActors: 5,
});

describe('Slack Block Kit digest', () => {
  it('stays within Slack limits on a large history and summarizes the overflow', () => {
    const digest = largeDigest();
    expect(digest.rows).toHaveLength(500);
    const { blocks, text } = digestBlocks(digest);
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.textChars);
    for (const t of texts(blocks)) {
      expect(t.text.length, t.path).toBeLessThanOrEqual(SLACK_LIMITS.textChars);
    }
    for (const b of blocks) {
      if (b.type === 'header')
        expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerChars);
      if (b.type === 'section' && b.fields) {
        expect(b.fields.length).toBeLessThanOrEqual(10);
        for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
      }
    }
    const all = texts(blocks)
      .map((t) => t.text)
      .join('\n');
    const shownRows = all.split('\n').filter((l) => /^• \*policy-with/.test(l)).length;
    const overflow = /… and (\d+) more policy\/account rows/.exec(all);
    expect(overflow).not.toBeNull();
    expect(shownRows).toBeGreaterThan(0);
    expect(shownRows + Number(overflow![1])).toBe(500);
    // rows come most-open first: the first shown row has the largest count
    expect(all).toContain(`open ${digest.rows[0]!.open}`);
    const expiringShown = all
      .split('\n')
      .filter((l) => /^• \d{4}-\d\d-\d\d \d\d:\d\d UTC/.test(l)).length;
    const expiringMore = /… and (\d+) more expiring exceptions/.exec(all);
    expect(expiringShown + Number(expiringMore?.[1] ?? 0)).toBe(80);
    expect(all).not.toContain('<script>');
    expect(all).toContain('&lt;script&gt;');
  });

  it('shows every row of a small digest, with the change since the previous one', () => {
    const { blocks } = digestBlocks(small);
    const all = texts(blocks)
      .map((t) => t.text)
      .join('\n');
    expect(all).toContain('*Open violations*\n0 (▼2)');
    expect(all).toContain('• *sg-no-public-ingress* · 111111111111 — open 0 (▼2), reverted 1');
    expect(all).toContain('p50 4.2 s, p95 4.2 s (1 revert)');
    expect(all).not.toContain('more policy/account row');
    expect(all).toContain('&lt;b&gt;mallory&lt;/b&gt;&amp;co: 1');
  });

  it('is posted through the Web API client (local stand-in)', async () => {
    const api = await new SlackApiStandIn().start();
    try {
      const client = createSlackClient('xoxb-test', {
        slackApiUrl: api.url,
        retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 20 },
      });
      const posted = await postDigestToSlack(client, 'C0DIGEST01', small);
      const [call] = api.callsTo('chat.postMessage');
      expect(call!.body.channel).toBe('C0DIGEST01');
      expect(call!.body.blocks).toEqual(JSON.parse(JSON.stringify(digestBlocks(small).blocks)));
      expect(posted.ts).toBe(call!.response!.ts);
    } finally {
      await api.stop();
    }
  });
});

describe('SNS e-mail digest', () => {
  const clients = new AwsClients({ maxAttempts: 2 });
  afterAll(() => clients.destroy());

  it('fits SNS limits on a very large history, summarizing cut rows', () => {
    const digest = largeDigest({ policies: 60, accounts: 60, actors: 50, expiring: 2000 });
    expect(Buffer.byteLength(digestText(digest), 'utf8')).toBeGreaterThan(SNS_LIMITS.messageBytes);
    const { subject, message } = digestEmail(digest);
    expect(Buffer.byteLength(message, 'utf8')).toBeLessThanOrEqual(SNS_LIMITS.messageBytes);
    expect(subject.length).toBeLessThanOrEqual(SNS_LIMITS.subjectChars);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    const more = /… and (\d+) more policy\/account rows/.exec(message);
    const shown = message.split('\n').filter((l) => /^ {2}policy-with/.test(l)).length;
    expect(shown + Number(more![1])).toBe(3600);
  });

  describe('delivered through SNS (moto, an SQS subscriber stands for e-mail)', () => {
    let topic: Awaited<ReturnType<typeof topicWithQueue>>;
    beforeAll(async () => {
      topic = await topicWithQueue(REGION, `digest-${randomUUID().slice(0, 8)}`);
    });
    afterAll(() => topic.destroy());

    it('publishes plain text with a short subject', async () => {
      await publishDigestToSns(clients, topic.topicArn, small);
      const envelope = await topic.receive();
      expect(envelope.Subject).toBe('[Rampart] Digest 2026-03-16: 0 open, 1 reverted');
      expect(envelope.Message).toContain('Open violations: 0 (-2)');
      expect(envelope.Message).toContain(
        '  sg-no-public-ingress in 111111111111: open 0 (-2), reverted 1,',
      );
      expect(envelope.Message).toContain('  arn:aws:iam::111111111111:user/<b>mallory</b>&co: 1');
    });
  });
});

describe('HTML report', () => {
  it('is self-contained, escapes data and has the three charts', () => {
    const html = digestHtml(largeDigest());
    expect(html).not.toMatch(/<script|https?:\/\/|src=|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;co');
    for (const chart of ['trend', 'by-policy', 'by-account']) {
      expect(html).toContain(`data-chart="${chart}"`);
    }
    // 25 policies and 20 accounts: capped at MAX_BARS bars, the rest folded into "others"
    expect(html.match(/class="bar"/g)).toHaveLength(2 * MAX_BARS);
    expect(html).toContain('11 others');
    expect(html).toContain('6 others');
    // every row is in the table
    expect(html.match(/<tr><td>policy-with/g)).toHaveLength(500);
  });
});
