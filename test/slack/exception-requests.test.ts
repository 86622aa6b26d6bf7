import { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventResult } from '../../src/engine/evaluator';
import { approvalIdOf } from '../../src/exceptions/deadline';
import { ACTIONS, EXCEPTION_MODAL, MODAL_FIELDS, type Block } from '../../src/slack/blocks';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, ingressRules, seedSecurityGroup } from '../support/ec2';
import {
  APPROVER,
  BYSTANDER,
  CHANNEL,
  GROUP_APPROVER,
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

const REGION = 'sa-east-1';
const FORM = 'application/x-www-form-urlencoded';

function statusOf(result: EventResult): string {
  if (result.status !== 'handled') throw new Error(`not handled: ${JSON.stringify(result)}`);
  return result.resources[0]!.outcomes[0]!.status;
}

describe('exception requests, approvals, revocation and /rampart (enforce mode)', () => {
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

  const click = (user: string, actionId: string, value: string) =>
    postSigned(h.url, interactionBody(buttonClick(user, CHANNEL, '1.0', actionId, value)), FORM, {
      secret: SIGNING_SECRET,
    });
  const command = async (user: string, text: string) => {
    const res = await postSigned(h.url, slashCommandBody(user, CHANNEL, text), FORM, {
      secret: SIGNING_SECRET,
    });
    expect(res.status).toBe(200);
    return JSON.parse(res.text) as { response_type: string; text: string };
  };
  const lastBlocks = (method: string) =>
    JSON.stringify(h.api.callsTo(method).at(-1)!.body.blocks as Block[]);

  it('request → refusals → one approval → excepted; revoke → the next event reverts', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const arn = `arn:aws:ec2:${REGION}:123456789012:security-group/${groupId}`;
    const event = () =>
      authorizeIngressEvent(
        groupId,
        [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
        {},
        { region: REGION },
      );
    const first = event();
    expect(statusOf(await h.rampart.evaluator.handleEvent(first))).toBe('reverted');
    const noticeId = approvalIdOf(first.detail.eventID, 'sg-no-public-ingress', arn);
    const reverted = lastBlocks('chat.postMessage');
    expect(reverted).toContain('Reverted');
    expect(reverted).toContain('Request exception…');
    expect(reverted).toContain('Time to revert');

    // Anyone may ask; here an approver asks, so that approving it themself is the only obstacle.
    const REQUESTER = GROUP_APPROVER;
    await click(REQUESTER, ACTIONS.requestException, noticeId);
    const view = h.api.callsTo('views.open')[0]!.body.view as { private_metadata: string };
    const values = {
      [MODAL_FIELDS.scope.block]: {
        [MODAL_FIELDS.scope.action]: {
          type: 'radio_buttons',
          selected_option: { value: 'resource' },
        },
      },
      [MODAL_FIELDS.tag.block]: {
        [MODAL_FIELDS.tag.action]: { type: 'plain_text_input', value: null },
      },
      [MODAL_FIELDS.duration.block]: {
        [MODAL_FIELDS.duration.action]: { type: 'static_select', selected_option: { value: '1' } },
      },
      [MODAL_FIELDS.justification.block]: {
        [MODAL_FIELDS.justification.action]: {
          type: 'plain_text_input',
          value: 'Bastion for the incident INC-7, one day',
        },
      },
    };
    const submitted = await postSigned(
      h.url,
      interactionBody(
        viewSubmission(
          REQUESTER,
          { callback_id: EXCEPTION_MODAL, private_metadata: view.private_metadata },
          values,
        ),
      ),
      FORM,
      { secret: SIGNING_SECRET },
    );
    expect(submitted.status).toBe(200);
    const pending = lastBlocks('chat.update');
    expect(pending).toContain(`Exception requested* by <@${REQUESTER}> for 1 day(s)`);
    const requestId = /"action_id":"rampart_approve_request","value":"(req-[^"]+)"/.exec(
      pending,
    )![1]!;

    // The requester, though an approver, cannot approve their own request; a bystander is no approver.
    await click(REQUESTER, ACTIONS.approveRequest, requestId);
    await click(BYSTANDER, ACTIONS.approveRequest, requestId);
    const refusals = h.api.callsTo('chat.postEphemeral').map((c) => String(c.body.text));
    expect(refusals).toEqual([
      expect.stringContaining('nobody approves their own request'),
      expect.stringContaining('only approvers'),
    ]);
    expect(
      h.audit.filter((r) => r.audit === 'human-action' && r.refused && r.requestId === requestId),
    ).toHaveLength(2);
    expect(await h.loop.exceptions!.listActive(Date.now(), { arn })).toEqual([]);

    // An approver double-clicks: exactly one exception, the second click is told so. The
    // clicks are sent one after the other: moto applies concurrent transactions without
    // isolation (DynamoDB serializes them), so a concurrent pair would test moto, not us.
    await click(APPROVER, ACTIONS.approveRequest, requestId);
    await click(APPROVER, ACTIONS.approveRequest, requestId);
    expect(
      h.audit.filter((r) => r.action === 'exception-approved' && r.requestId === requestId),
    ).toHaveLength(1);
    const active = await h.loop.exceptions!.listActive(Date.now(), { arn });
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({
      requester: { slackUserId: REQUESTER },
      approver: APPROVER,
      justification: 'Bastion for the incident INC-7, one day',
    });
    expect(String(h.api.callsTo('chat.postEphemeral').at(-1)!.body.text)).toMatch(/already/);
    expect(lastBlocks('chat.update')).toContain(`approved by <@${APPROVER}>`);
    const exceptionId = active[0]!.id;

    // While it lasts, the same change is left alone and audited as excepted.
    await ec2.send(
      new (await import('@aws-sdk/client-ec2')).AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [OPEN_22],
      }),
    );
    expect(statusOf(await h.rampart.evaluator.handleEvent(event()))).toBe('excepted');
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toEqual(['tcp 22-22 0.0.0.0/0']);

    // /rampart lists it in full to its requester and approvers; a bystander only learns
    // that one exists (which resources are excepted, and why, is not for everyone).
    expect((await command(REQUESTER, 'exceptions')).text).toContain(exceptionId);
    expect((await command(APPROVER, `status ${arn}`)).text).toContain(
      'Bastion for the incident INC-7',
    );
    const seenByBystander = (await command(BYSTANDER, 'exceptions')).text;
    expect(seenByBystander).not.toContain(exceptionId);
    expect(seenByBystander).not.toContain('Bastion');
    expect(seenByBystander).toContain('1 more, visible to approvers');
    expect((await command(BYSTANDER, `status ${arn}`)).text).not.toContain(exceptionId);
    expect((await command(BYSTANDER, `revoke ${exceptionId}`)).text).toContain('only approvers');
    expect((await command(APPROVER, `revoke ${exceptionId}`)).text).toContain(
      `\`${exceptionId}\` revoked`,
    );
    expect((await command(APPROVER, `revoke ${exceptionId}`)).text).toContain('is not active');
    expect((await command(BYSTANDER, `status ${arn}`)).text).toContain('No active exception');
    expect(h.audit).toContainEqual(
      expect.objectContaining({
        audit: 'human-action',
        action: 'revoke',
        user: APPROVER,
        exceptionId,
      }),
    );

    expect(statusOf(await h.rampart.evaluator.handleEvent(event()))).toBe('reverted');
    expect(await ingressRules(ec2, groupId)).toEqual([]);
  });

  it('answers unknown subcommands and bad arguments with the allowed ones', async () => {
    expect((await command(BYSTANDER, 'approve everything')).text).toContain(
      'allowed: exceptions, revoke, status, help',
    );
    expect((await command(BYSTANDER, 'status sg-123')).text).toContain(
      'an ARN starting with `arn:`',
    );
    expect((await command(BYSTANDER, 'revoke')).text).toContain(
      'Usage: `/rampart revoke &lt;exception-id&gt;`',
    );
    expect((await command(BYSTANDER, '')).text).toContain('/rampart exceptions');
  });
});
