import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/notices/notice';
import { noticeBlocks, noticeText, type Block } from '../../src/slack/blocks';
import { exceptionModal } from '../../src/slack/modal';
import { clipMrkdwn, fitLines, md, mrkdwn } from '../../src/slack/mrkdwn';
import { blockProblem } from '../support/slack-api';

/** Strings an attacker controls somewhere: a tag typed in a modal, a user agent, a description. */
const HOSTILE = [
  '<!channel>',
  '<!here|here>',
  '<@UBOSS>',
  '<!subteam^SADMINS>',
  '<https://evil.example|Approved by security>',
  '<mailto:x@evil.example|x>',
  '&lt;!channel&gt;', // already-escaped text must not decode into markup
  '*bold* _it_ `code` ```fence',
  '> quote\n>> nested',
  '\u202eevil\u202c and \u0000 nul',
];

const resource = {
  partition: 'aws',
  account: '123456789012',
  region: 'eu-west-1',
  type: 'AWS::EC2::SecurityGroup',
  id: 'sg-0abc',
  arn: 'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc',
};

/** A notice where every text field holds `h`. */
function hostileNotice(h: string): Notice {
  return {
    id: 'n1',
    kind: 'approval',
    policy: { id: h, title: h, severity: h },
    resource: { ...resource, id: h, account: h, region: h },
    message: h,
    findings: [h, h],
    changes: [],
    eventId: h,
    eventSource: h,
    eventName: h,
    eventTime: h,
    actor: { type: h, arn: h, principalId: h, sourceIPAddress: h, userAgent: h },
    error: h,
    deadline: h,
    open: true,
    pendingRequest: {
      id: 'req-1',
      requester: h,
      justification: h,
      days: 1,
      scope: h,
      approvals: ['U0FIRST'],
    },
    history: [md`approved by ${{ user: 'U0REAL' }} for ${h}`, [h], md`${{ user: h }}`],
  };
}

/** Every mrkdwn string of a message. */
function mrkdwnTexts(blocks: Block[]): string[] {
  const out: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(visit);
    }
  };
  visit(blocks);
  return out;
}

/**
 * What is left of a mrkdwn string once the markup Rampart itself writes is removed (the
 * console link, mentions of real Slack ids): it must hold no `<`, `>` and no `&` that is
 * not one of the three entities.
 */
function residue(text: string): string {
  return text
    .replace(/<https:\/\/(?:[a-z0-9-]+\.)?console\.aws\.amazon\.com\/[^|<>\s]*\|([^<>]*)>/g, '$1')
    .replace(/<@U0(?:REAL|FIRST)>/g, '');
}

describe('hostile strings in every text the app renders', () => {
  it.each(HOSTILE)('%j never becomes markup in a notice', (h) => {
    const blocks = noticeBlocks(hostileNotice(h));
    for (const text of mrkdwnTexts(blocks)) {
      const rest = residue(text);
      expect(rest).not.toMatch(/[<>]/);
      expect(rest).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    expect(noticeText(hostileNotice(h))).not.toMatch(/[<>]/);
    expect(blockProblem('chat.postMessage', { blocks })).toBeUndefined();
  });

  it.each(HOSTILE)('%j never becomes markup in the exception form', (h) => {
    const view = exceptionModal(hostileNotice(h), {
      noticeId: 'n1',
      mode: 'grant',
      channel: 'C1',
      ts: '1.0',
      token: 'tok_0123456789abcdef',
    });
    for (const text of mrkdwnTexts(view.blocks as Block[])) expect(text).not.toMatch(/<(?!\/)/);
  });

  it('mentions render only for ids shaped like Slack’s', () => {
    expect(mrkdwn(md`by ${{ user: 'U0REAL' }}`)).toBe('by <@U0REAL>');
    expect(mrkdwn(md`by ${{ user: 'U0REAL> <!channel' }}`)).toBe('by U0REAL&gt; &lt;!channel');
    expect(mrkdwn(md`group ${{ usergroup: 'S0SEC' }}`)).toBe('group <!subteam^S0SEC>');
  });
});

describe("Slack's Block Kit limits, at their worst", () => {
  const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
  const worst: Notice = {
    ...hostileNotice('x'),
    kind: 'reverted',
    policy: { id: 'sg-no-public-ingress', title: 'T'.repeat(400), severity: 'high' },
    resource: { ...resource, id: `sg-${'9'.repeat(2000)}` },
    // 60 world-open rules: AWS's default rules-per-group quota.
    findings: many(
      60,
      (i) =>
        `sgr-0${String(i).padStart(16, '0')} tcp ${1000 + i} from 0.0.0.0/0 (${'d'.repeat(40)})`,
    ),
    changes: many(
      60,
      (i) => `revoked sgr-0${String(i).padStart(16, '0')} tcp ${1000 + i} from 0.0.0.0/0`,
    ),
    actor: {
      type: 'IAMUser',
      arn: `arn:aws:iam::123456789012:user/${'a'.repeat(64)}`,
      userAgent: 'U'.repeat(3000),
      sourceIPAddress: '198.51.100.7',
    },
    error: `AccessDenied: ${'<e>'.repeat(2000)}`,
    pendingRequest: {
      id: 'req-1',
      requester: { user: 'U0REQ' },
      justification: 'j'.repeat(1000),
      days: 7,
      scope: `tag team=${'v'.repeat(256)}`,
    },
    history: Array.from(
      { length: 120 },
      (_, i) => md`entry ${i} by ${{ user: 'U0REAL' }}: ${'&'.repeat(1000)}`,
    ),
  };

  it('a notice with 60 rules, 3,000-character user agents and 120 history entries stays within them', () => {
    const blocks = noticeBlocks(worst);
    expect(blockProblem('chat.postMessage', { blocks })).toBeUndefined();
    const json = JSON.stringify(blocks);
    expect(json).toMatch(/… and \d+ more \(all of them are in the audit record of event /);
    expect(json).toContain('earlier entries not shown');
    // The newest history entry survives the cut.
    expect(json).toContain('entry 119 by');
    expect(blocks.length).toBeLessThanOrEqual(50);
  });

  it('the same notice without clipping would be refused by Slack (the stand-in enforces it)', () => {
    const unclipped = [
      { type: 'section', text: { type: 'mrkdwn', text: worst.changes.join('\n').repeat(2) } },
    ];
    expect(blockProblem('chat.postMessage', { blocks: unclipped })).toMatch(
      /section text is \d+ \(max 3000\)/,
    );
  });

  it('clipping never cuts an entity or a link in half', () => {
    const text = `${'a'.repeat(95)}&amp;<https://x.example|y>`;
    for (let max = 90; max < text.length; max++) {
      const clipped = clipMrkdwn(text, max);
      expect(clipped.length).toBeLessThanOrEqual(max);
      expect(clipped).not.toMatch(/&[a-z]{0,3}…|<[^>]*…/);
    }
  });

  it('fitLines keeps as many whole lines as fit and counts the rest', () => {
    const lines = many(10, (i) => `line ${i} ${'z'.repeat(20)}`);
    const out = fitLines('*H*', lines, 120, (n) => `… and ${n} more`);
    expect(out.length).toBeLessThanOrEqual(120);
    const shown = out.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(out).toContain(`… and ${10 - shown} more`);
    expect(shown).toBeGreaterThan(0);
  });
});
