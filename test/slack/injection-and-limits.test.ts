import { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventResult } from '../../src/engine/evaluator';
import { approvalIdOf } from '../../src/exceptions/deadline';
import { ACTIONS, EXCEPTION_MODAL, MODAL_FIELDS, type Block } from '../../src/slack/blocks';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, seedSecurityGroup } from '../support/ec2';
import {
  APPROVER,
  BYSTANDER,
  CHANNEL,
  SIGNING_SECRET,
  startSlackHarness,
  type SlackHarness,
} from '../support/slack-harness';
import {
  buttonClick,
  interactionBody,
  postSigned,
  slashCommandBody,
  viewSubmission,
} from '../support/slack-sign';

const REGION = 'eu-central-2';
const ACCOUNT = '123456789012';
const FORM = 'application/x-www-form-urlencoded';
const HOSTILE_TAG = 'team=<!channel> <https://evil.example|Approved by security>';

function statusOf(result: EventResult): string {
  if (result.status !== 'handled') throw new Error(`not handled: ${JSON.stringify(result)}`);
  return result.resources[0]!.outcomes[0]!.status;
}

describe('markup injection, Block Kit limits and malformed payloads, end to end', () => {
  let h: SlackHarness;
  let ec2: EC2Client;
  beforeAll(async () => {
    h = await startSlackHarness(REGION, 'enforce');
    ec2 = new EC2Client({ region: REGION });
  });
  afterAll(async () => {
    ec2.destroy();
    await h.stop();
  });
  beforeEach(() => h.api.reset());

  const post = (body: string) => postSigned(h.url, body, FORM, { secret: SIGNING_SECRET });
  const click = (user: string, actionId: string, value: string) =>
    post(interactionBody(buttonClick(user, CHANNEL, '1.0', actionId, value)));
  const command = async (user: string, text: string) =>
    JSON.parse((await post(slashCommandBody(user, CHANNEL, text))).text) as { text: string };

  it('60 world-open rules (a full group) reverted at once still make a notice Slack accepts, saying how many are left out', async () => {
    const ports = Array.from({ length: 60 }, (_, i) => 2000 + i);
    const groupId = await seedSecurityGroup(
      ec2,
      ports.map((p) => ({
        IpProtocol: 'tcp',
        FromPort: p,
        ToPort: p,
        IpRanges: [{ CidrIp: '0.0.0.0/0', Description: `vendor access ${p} for the migration` }],
      })),
    );
    const event = authorizeIngressEvent(
      groupId,
      ports.map((p) => ({ protocol: 'tcp', from: p, cidr: '0.0.0.0/0' })),
      { userAgent: `aws-cli/2 ${'x'.repeat(3000)}` },
      { region: REGION },
    );
    expect(statusOf(await h.rampart.evaluator.handleEvent(event))).toBe('reverted');
    expect(h.api.rejected).toEqual([]);
    const [posted] = h.api.callsTo('chat.postMessage');
    const blocks = JSON.stringify(posted!.body.blocks as Block[]);
    expect(blocks).toMatch(/… and \d+ more \(all of them are in the audit record of event /);
    expect(blocks).toContain('tcp 2000');
  });

  it('a hostile tag scope is shown as text everywhere: pending request, approved notice, /rampart', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const arn = `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${groupId}`;
    const event = authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      {},
      { region: REGION },
    );
    expect(statusOf(await h.rampart.evaluator.handleEvent(event))).toBe('reverted');
    const noticeId = approvalIdOf(event.detail.eventID, 'sg-no-public-ingress', arn);
    await click(BYSTANDER, ACTIONS.requestException, noticeId);
    const view = h.api.callsTo('views.open').at(-1)!.body.view as { private_metadata: string };
    const values = {
      [MODAL_FIELDS.scope.block]: {
        [MODAL_FIELDS.scope.action]: { type: 'radio_buttons', selected_option: { value: 'tag' } },
      },
      [MODAL_FIELDS.tag.block]: {
        [MODAL_FIELDS.tag.action]: { type: 'plain_text_input', value: HOSTILE_TAG },
      },
      [MODAL_FIELDS.duration.block]: {
        [MODAL_FIELDS.duration.action]: { type: 'static_select', selected_option: { value: '1' } },
      },
      [MODAL_FIELDS.justification.block]: {
        [MODAL_FIELDS.justification.action]: {
          type: 'plain_text_input',
          value: '<!here> please approve <https://evil.example|now>',
        },
      },
    };
    const submitted = await post(
      interactionBody(
        viewSubmission(
          BYSTANDER,
          { callback_id: EXCEPTION_MODAL, private_metadata: view.private_metadata },
          values,
        ),
      ),
    );
    expect(submitted.text).toBe('');
    const pending = JSON.stringify(h.api.callsTo('chat.update').at(-1)!.body);
    const requestId = /"action_id":"rampart_approve_request","value":"(req-[^"]+)"/.exec(
      pending,
    )![1]!;
    await click(APPROVER, ACTIONS.approveRequest, requestId);
    const approved = JSON.stringify(h.api.callsTo('chat.update').at(-1)!.body);
    const listed = (await command(APPROVER, 'exceptions')).text;
    for (const text of [pending, approved, listed]) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<!here>');
      expect(text).not.toContain('<https://evil.example');
    }
    expect(approved).toContain('&lt;!channel&gt;');
    expect(listed).toContain('&lt;!channel&gt;');
    expect(listed).toContain('&lt;!here&gt;');
  });

  it('signed but malformed payloads are refused with the reason and audited, never thrown', async () => {
    const click = buttonClick(BYSTANDER, CHANNEL, '1.0', ACTIONS.revertNow, 'x');
    const cases: [string, unknown, RegExp][] = [
      ['no user', { ...click, user: undefined }, /malformed interaction: user: /],
      ['empty actions', { ...click, actions: [] }, /malformed interaction: actions: /],
      ['a user that is not a Slack id', { ...click, user: { id: '<!channel>' } }, /user\.id/],
      [
        'an unknown payload type',
        { ...click, type: 'block_suggestion' },
        /malformed interaction: type/,
      ],
    ];
    for (const [label, payload, reason] of cases) {
      const res = await post(interactionBody(payload));
      expect(res.status, label).toBe(400);
      expect(res.text, label).toMatch(reason);
    }
    expect(await post('payload=%7Bnot-json')).toMatchObject({
      status: 400,
      text: 'malformed interaction: payload is not JSON',
    });
    const command = new URLSearchParams({
      command: '/rampart',
      text: 'help',
      team_id: 'T0RAMPART',
    }).toString();
    expect((await post(command)).text).toMatch(/malformed slash command: user_id/);
    expect(h.audit.filter((r) => r.action === 'slack-request' && r.refused)).toHaveLength(
      cases.length + 2,
    );

    // A modal whose private_metadata is not ours: a refusal in the modal, and an audit line.
    const res = await post(
      interactionBody(
        viewSubmission(
          APPROVER,
          { callback_id: EXCEPTION_MODAL, private_metadata: '{"noticeId":1}' },
          {},
        ),
      ),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).errors[MODAL_FIELDS.justification.block]).toMatch(
      /This form cannot be read: private_metadata\.noticeId/,
    );
    expect(h.audit).toContainEqual(
      expect.objectContaining({
        user: APPROVER,
        refused: expect.stringContaining('cannot be read'),
      }),
    );
    expect(h.api.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });
});
