import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/notices/notice';
import { consoleUrl, formatDuration } from '../../src/notices/notice';
import { snsSubject } from '../../src/notices/sns';
import { ACTIONS, noticeBlocks, noticeText } from '../../src/slack/blocks';
import { exceptionModal } from '../../src/slack/modal';
import { renderBlocksForTerminal } from '../../src/slack/terminal';

const resource = {
  partition: 'aws',
  account: '123456789012',
  region: 'eu-west-1',
  type: 'AWS::EC2::SecurityGroup',
  id: 'sg-0abc',
  arn: 'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0abc',
};

function notice(overrides: Partial<Notice> = {}): Notice {
  return {
    id: 'n1',
    kind: 'reverted',
    policy: {
      id: 'sg-no-public-ingress',
      title: 'Security groups allow no ingress from the internet',
      severity: 'high',
    },
    resource,
    message: 'Security group sg-0abc allows tcp 22 from the internet.',
    findings: ['sgr-1 tcp 22 from 0.0.0.0/0'],
    changes: ['revoked sgr-1 tcp 22 from 0.0.0.0/0'],
    eventId: 'e1',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'AuthorizeSecurityGroupIngress',
    eventTime: '2026-11-23T10:00:00.000Z',
    actor: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/Dev/alice',
      sourceIPAddress: '198.51.100.7',
      userAgent: 'console.ec2.amazonaws.com',
    },
    timeToRevertMs: 4200,
    open: true,
    history: [],
    ...overrides,
  };
}

const actionIds = (n: Notice) =>
  noticeBlocks(n).flatMap((b) =>
    b.type === 'actions' ? b.elements.map((e) => ('action_id' in e ? e.action_id : '')) : [],
  );

describe('Block Kit notices', () => {
  it('reverted: policy, linked resource, account/region, who and from where, what was removed, time to revert, one button', () => {
    const text = renderBlocksForTerminal(noticeBlocks(notice()));
    expect(text).toBe(
      [
        'Reverted: Security groups allow no ingress from the internet',
        '='.repeat(60),
        `Resource: sg-0abc (${consoleUrl(resource)})`,
        'Account / region: 123456789012 / eu-west-1',
        'Who: arn:aws:sts::123456789012:assumed-role/Dev/alice',
        'From: 198.51.100.7 via console.ec2.amazonaws.com',
        'Change: AuthorizeSecurityGroupIngress at 2026-11-23T10:00:00.000Z',
        'Severity: high (sg-no-public-ingress)',
        'Time to revert: 4.2 s',
        'Removed',
        '• revoked sgr-1 tcp 22 from 0.0.0.0/0',
        '[ Request exception… ]',
        '',
      ].join('\n'),
    );
    expect(actionIds(notice())).toEqual([ACTIONS.requestException]);
    expect(consoleUrl(resource)).toBe(
      'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#SecurityGroup:groupId=sg-0abc',
    );
  });

  it('approval needed: findings, the deadline and three buttons; closed once decided', () => {
    const n = notice({
      kind: 'approval',
      changes: [],
      timeToRevertMs: undefined,
      deadline: '2026-11-23T10:15:00.000Z',
    });
    const text = renderBlocksForTerminal(noticeBlocks(n));
    expect(text).toContain('Approval needed: Security groups');
    expect(text).toContain('Found\n• sgr-1 tcp 22 from 0.0.0.0/0');
    expect(text).toContain('Left in place until 2026-11-23T10:15:00.000Z');
    expect(text).toContain('[ Approve exception… ] [ Revert now ] [ Keep reverting ]');
    expect(actionIds(n)).toEqual([
      ACTIONS.approveException,
      ACTIONS.revertNow,
      ACTIONS.keepReverting,
    ]);
    const closed = {
      ...n,
      open: false,
      history: [['Exception `exc-1` approved by ', { user: 'U0APPROVER' }, '.']],
    };
    expect(actionIds(closed)).toEqual([]);
    expect(renderBlocksForTerminal(noticeBlocks(closed))).toContain(
      '  · Exception `exc-1` approved by @U0APPROVER.',
    );
    expect(renderBlocksForTerminal(noticeBlocks(closed))).not.toContain('Left in place');
  });

  it('remediation failed shows the AWS error and offers nothing; notify-only offers an exception', () => {
    const failed = notice({
      kind: 'failed',
      changes: [],
      open: false,
      error: 'UnauthorizedOperation: not allowed <script>',
    });
    const text = JSON.stringify(noticeBlocks(failed));
    expect(text).toContain('Remediation failed');
    expect(text).toContain('UnauthorizedOperation: not allowed &lt;script&gt;');
    expect(actionIds(failed)).toEqual([]);
    expect(actionIds(notice({ kind: 'notify', changes: [] }))).toEqual([ACTIONS.requestException]);
  });

  it('a pending request replaces the buttons with Approve request / Deny', () => {
    const n = notice({
      pendingRequest: {
        id: 'req-1',
        requester: { user: 'U2' },
        justification: 'needed <for> a demo',
        days: 7,
        scope: 'resource x',
      },
    });
    expect(actionIds(n)).toEqual([ACTIONS.approveRequest, ACTIONS.denyRequest]);
    expect(JSON.stringify(noticeBlocks(n))).toContain('needed &lt;for&gt; a demo');
  });

  it('escapes mrkdwn in values that come from events (actor, error)', () => {
    const n = notice({ actor: { type: 'IAMUser', arn: '<!channel> & co' } });
    expect(JSON.stringify(noticeBlocks(n))).toContain('&lt;!channel&gt; &amp; co');
  });

  it('the modal asks for scope, duration (1/7/30 days) and a required justification', () => {
    const view = exceptionModal(notice(), {
      noticeId: 'n1',
      mode: 'grant',
      channel: 'C1',
      ts: '1.0',
      token: 'tok_0123456789abcdef',
    });
    expect(JSON.parse(view.private_metadata!)).toEqual({
      noticeId: 'n1',
      mode: 'grant',
      channel: 'C1',
      ts: '1.0',
      token: 'tok_0123456789abcdef',
    });
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('"value":"1"');
    expect(json).toContain('"value":"7"');
    expect(json).toContain('"value":"30"');
    expect(json).toContain('Whoever can set this tag can claim the exception');
    const justification = view.blocks.find((b) => b.block_id === 'justification');
    expect(justification).toMatchObject({
      type: 'input',
      element: { min_length: 10, max_length: 1000 },
    });
    expect(justification).not.toHaveProperty('optional');
  });

  it('plain-text fallback and SNS subject are short and ASCII', () => {
    expect(noticeText(notice())).toBe(
      'Reverted: Security groups allow no ingress from the internet on sg-0abc (123456789012/eu-west-1)',
    );
    const long = notice({
      kind: 'approval',
      resource: { ...resource, id: `sg-${'x'.repeat(200)}é` },
    });
    const subject = snsSubject(long);
    expect(subject.length).toBe(100);
    expect(subject).toMatch(/^\[Rampart\] Approval needed: sg-no-public-ingress on sg-x+$/);
    expect(snsSubject(notice({ resource: { ...resource, id: 'sg-é' } }))).toBe(
      '[Rampart] Reverted: sg-no-public-ingress on sg-?',
    );
  });

  it('formats durations for humans', () => {
    expect(formatDuration(950)).toBe('0.9 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
  });
});
