import { EC2Client } from '@aws-sdk/client-ec2';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventResult } from '../../src/engine/evaluator';
import { approvalIdOf } from '../../src/exceptions/deadline';
import { ACTIONS, EXCEPTION_MODAL, MODAL_FIELDS, type Block } from '../../src/slack/blocks';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, OPEN_443, ingressRules, seedSecurityGroup } from '../support/ec2';
import {
  APPROVER,
  AUTHOR,
  BYSTANDER,
  CHANNEL,
  GROUP_APPROVER,
  SCHEDULER_ROLE,
  SIGNING_SECRET,
  startSlackHarness,
  type SlackHarness,
} from '../support/slack-harness';
import { buttonClick, interactionBody, postSigned, viewSubmission } from '../support/slack-sign';

const REGION = 'ca-central-1';
const FORM = 'application/x-www-form-urlencoded';

function outcomeOf(result: EventResult) {
  if (result.status !== 'handled') throw new Error(`not handled: ${JSON.stringify(result)}`);
  return {
    decision: result.resources[0]!.decisions[0],
    outcome: result.resources[0]!.outcomes[0]!,
  };
}

function buttonsOf(blocks: Block[]): string[] {
  return blocks.flatMap((b) =>
    b.type === 'actions' ? b.elements.map((e) => ('text' in e && e.text ? e.text.text : '')) : [],
  );
}

function textOf(blocks: Block[]): string {
  return JSON.stringify(blocks);
}

describe('mode approve through Slack (bolt on 127.0.0.1, Web API stand-in, moto)', () => {
  let h: SlackHarness;
  let ec2: EC2Client;

  beforeAll(async () => {
    h = await startSlackHarness(REGION, 'approve');
    ec2 = new EC2Client({ region: REGION });
  });
  afterAll(async () => {
    ec2.destroy();
    await h.stop();
  });
  beforeEach(() => h.api.reset());

  async function violation() {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22, OPEN_443]);
    const event = authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      {},
      { region: REGION },
    );
    const result = await h.rampart.evaluator.handleEvent(event);
    const { outcome } = outcomeOf(result);
    const arn = `arn:aws:ec2:${REGION}:123456789012:security-group/${groupId}`;
    const approvalId = approvalIdOf(event.detail.eventID, 'sg-no-public-ingress', arn);
    return { groupId, event, outcome, approvalId, arn };
  }

  const click = (user: string, actionId: string, value: string) =>
    postSigned(h.url, interactionBody(buttonClick(user, CHANNEL, '1.0', actionId, value)), FORM, {
      secret: SIGNING_SECRET,
    });

  function modalValues(opts: {
    scope?: 'resource' | 'tag';
    tag?: string;
    days?: string;
    justification?: string;
  }) {
    return {
      [MODAL_FIELDS.scope.block]: {
        [MODAL_FIELDS.scope.action]: {
          type: 'radio_buttons',
          selected_option: { value: opts.scope ?? 'resource' },
        },
      },
      [MODAL_FIELDS.tag.block]: {
        [MODAL_FIELDS.tag.action]: { type: 'plain_text_input', value: opts.tag ?? null },
      },
      [MODAL_FIELDS.duration.block]: {
        [MODAL_FIELDS.duration.action]: {
          type: 'static_select',
          selected_option: { value: opts.days ?? '7' },
        },
      },
      [MODAL_FIELDS.justification.block]: {
        [MODAL_FIELDS.justification.action]: {
          type: 'plain_text_input',
          value: opts.justification ?? null,
        },
      },
    };
  }

  const submit = (user: string, privateMetadata: string, values: ReturnType<typeof modalValues>) =>
    postSigned(
      h.url,
      interactionBody(
        viewSubmission(
          user,
          { callback_id: EXCEPTION_MODAL, private_metadata: privateMetadata },
          values,
        ),
      ),
      FORM,
      { secret: SIGNING_SECRET },
    );

  it('leaves the violation, posts "approval needed" with three buttons and schedules a one-time deadline', async () => {
    const { groupId, outcome, approvalId, event } = await violation();
    expect(outcome.status).toBe('awaiting-approval');
    expect(Date.parse(outcome.approvalDeadline!) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toContain('tcp 22-22 0.0.0.0/0');

    // Delivered twice (at-least-once): one message, one schedule, the same deadline.
    const again = outcomeOf(await h.rampart.evaluator.handleEvent(event)).outcome;
    expect(again.status).toBe('awaiting-approval');
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(1);
    const [post] = h.api.callsTo('chat.postMessage');
    expect(post!.body.channel).toBe(CHANNEL);
    const blocks = post!.body.blocks as Block[];
    expect(buttonsOf(blocks)).toEqual(['Approve exception…', 'Revert now', 'Keep reverting']);
    expect(textOf(blocks)).toContain('Approval needed');
    expect(textOf(blocks)).toContain(`#SecurityGroup:groupId=${groupId}`);
    expect(textOf(blocks)).toContain('assumed-role/Developer/alice');
    expect(textOf(blocks)).toContain('198.51.100.7');
    expect(textOf(blocks)).toContain('tcp 22 from 0.0.0.0/0');

    const schedule = await new SchedulerClient({ region: REGION }).send(
      new GetScheduleCommand({ Name: `rampart-approval-${approvalId}` }),
    );
    expect(schedule.ScheduleExpression).toBe(`at(${outcome.approvalDeadline!.slice(0, 19)})`);
    expect(schedule.ActionAfterCompletion).toBe('DELETE');
    expect(schedule.Target?.RoleArn).toBe(SCHEDULER_ROLE);
    expect(JSON.parse(schedule.Target!.Input!)).toMatchObject({
      'detail-type': 'Rampart Approval Deadline',
      detail: { approvalId, reason: 'deadline', policyId: 'sg-no-public-ingress' },
    });
  });

  it('no answer: the deadline reverts with the same remediator and edits the same message', async () => {
    const { groupId, approvalId } = await violation();
    const [post] = h.api.callsTo('chat.postMessage');
    const result = await h.rampart.evaluator.handleEvent(await h.scheduledInput(approvalId));
    const { decision, outcome } = outcomeOf(result);
    expect(decision).toMatchObject({
      action: 'remediate',
      reason: 'approval deadline passed without an exception',
    });
    expect(outcome.status).toBe('reverted');
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toEqual([
      'tcp 443-443 0.0.0.0/0',
    ]);

    const [update] = h.api.callsTo('chat.update');
    expect(update!.body).toMatchObject({ channel: CHANNEL, ts: post!.response!.ts });
    const blocks = update!.body.blocks as Block[];
    expect(textOf(blocks)).toContain('Reverted');
    expect(textOf(blocks)).toContain('approval deadline passed without an exception');
    expect(textOf(blocks)).toContain('Removed');
    expect(buttonsOf(blocks)).toEqual(['Request exception…']);
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(1); // edited, not reposted
  });

  it('refuses "Approve exception…" to a non-approver: ephemeral refusal, audit record, no modal', async () => {
    const { approvalId } = await violation();
    const res = await click(BYSTANDER, ACTIONS.approveException, approvalId);
    expect(res.status).toBe(200);
    const [ephemeral] = h.api.callsTo('chat.postEphemeral');
    expect(ephemeral!.body).toMatchObject({ user: BYSTANDER, channel: CHANNEL });
    expect(String(ephemeral!.body.text)).toContain('only approvers');
    expect(h.api.callsTo('views.open')).toHaveLength(0);
    expect(h.audit).toContainEqual(
      expect.objectContaining({
        audit: 'human-action',
        action: 'approve-exception',
        user: BYSTANDER,
        refused: expect.stringContaining('only approvers'),
      }),
    );

    // A click on a notice that has expired (or never existed) is refused, not ignored.
    await click(BYSTANDER, ACTIONS.revertNow, 'no-such-notice');
    expect(String(h.api.callsTo('chat.postEphemeral').at(-1)!.body.text)).toContain(
      'unknown or has expired',
    );

    // Group membership that cannot be read (Slack down, scope missing) grants nothing.
    h.api.failNext('usergroups.users.list', { status: 500 }, 4);
    await click(GROUP_APPROVER, ACTIONS.approveException, approvalId);
    expect(String(h.api.callsTo('chat.postEphemeral').at(-1)!.body.text)).toContain(
      'only approvers',
    );
    expect(h.api.callsTo('views.open')).toHaveLength(0);
  });

  it('approved (by a user-group member): no revert at the deadline; the notice says who approved', async () => {
    const { groupId, approvalId, arn } = await violation();
    const input = await h.scheduledInput(approvalId);
    expect((await click(GROUP_APPROVER, ACTIONS.approveException, approvalId)).status).toBe(200);
    const [open] = h.api.callsTo('views.open');
    const view = open!.body.view as {
      callback_id: string;
      private_metadata: string;
      blocks: Block[];
    };
    expect(view.callback_id).toBe(EXCEPTION_MODAL);
    expect(textOf(view.blocks)).toContain('1 day');
    expect(textOf(view.blocks)).toContain('30 days');

    // Validation answers in the modal, naming the field.
    const empty = await submit(
      GROUP_APPROVER,
      view.private_metadata,
      modalValues({ justification: 'short' }),
    );
    expect(JSON.parse(empty.text)).toMatchObject({
      response_action: 'errors',
      errors: {
        [MODAL_FIELDS.justification.block]: expect.stringContaining('justification is required'),
      },
    });
    const wildcard = await submit(
      GROUP_APPROVER,
      view.private_metadata,
      modalValues({
        scope: 'tag',
        tag: 'team=*',
        justification: 'Load test until Friday, agreed with security',
      }),
    );
    expect(JSON.parse(wildcard.text)).toMatchObject({
      response_action: 'errors',
      errors: { [MODAL_FIELDS.tag.block]: expect.stringContaining('wildcards') },
    });

    const ok = await submit(
      GROUP_APPROVER,
      view.private_metadata,
      modalValues({
        days: '7',
        justification: 'Vendor SSH access for the migration, ticket SEC-42',
      }),
    );
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    const [exception] = await h.loop.exceptions!.listActive(Date.now(), { arn });
    expect(exception).toMatchObject({
      approver: GROUP_APPROVER,
      requester: { awsPrincipal: expect.stringContaining('assumed-role/Developer/alice') },
      policyId: 'sg-no-public-ingress',
    });
    expect(Date.parse(exception!.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const updated = h.api.callsTo('chat.update').at(-1)!.body.blocks as Block[];
    expect(textOf(updated)).toContain(`approved by <@${GROUP_APPROVER}>`);
    expect(buttonsOf(updated)).toEqual([]);
    // The approved schedule is gone; were it delivered anyway, the exception holds.
    await expect(h.scheduledInput(approvalId)).rejects.toThrow();

    const { decision, outcome } = outcomeOf(await h.rampart.evaluator.handleEvent(input));
    expect(decision).toMatchObject({ action: 'excepted', exceptionId: exception!.id });
    expect(outcome.status).toBe('excepted');
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toContain('tcp 22-22 0.0.0.0/0');
    expect(h.audit).toContainEqual(
      expect.objectContaining({
        audit: 'decision',
        action: 'excepted',
        exceptionId: exception!.id,
      }),
    );

    // A second submission of the form, by its approver or anyone, creates nothing.
    for (const user of [GROUP_APPROVER, APPROVER]) {
      const again = await submit(
        user,
        view.private_metadata,
        modalValues({ justification: 'Vendor SSH access for the migration, ticket SEC-42' }),
      );
      expect(JSON.parse(again.text).errors[MODAL_FIELDS.justification.block]).toContain(
        'already decided',
      );
    }
    expect(await h.loop.exceptions!.listActive(Date.now(), { arn })).toHaveLength(1);
  });

  it('an approver who made the change cannot approve it; an unverifiable approver is refused', async () => {
    const { approvalId } = await violation();
    // The change was made as assumed-role/Developer/alice; the configuration ties role
    // Developer to AUTHOR, who is (for this test) also an approver through the group.
    h.api.userGroups.set('SSECOPS', [GROUP_APPROVER, AUTHOR]);
    try {
      await click(AUTHOR, ACTIONS.approveException, approvalId);
      expect(String(h.api.callsTo('chat.postEphemeral').at(-1)!.body.text)).toContain(
        `nobody approves their own change: <@${AUTHOR}> made it as arn:aws:sts::123456789012:assumed-role/Developer/alice`,
      );
      expect(h.api.callsTo('views.open')).toHaveLength(0);
    } finally {
      h.api.userGroups.set('SSECOPS', [GROUP_APPROVER]);
    }
    h.api.failNext('users.info', { status: 500 }, 4);
    await click(APPROVER, ACTIONS.approveException, approvalId);
    expect(String(h.api.callsTo('chat.postEphemeral').at(-1)!.body.text)).toContain(
      'cannot verify',
    );
    expect(h.api.callsTo('views.open')).toHaveLength(0);
    // Someone else: the modal opens.
    h.api.emails.set(APPROVER, 'bob@example.com');
    await click(APPROVER, ACTIONS.approveException, approvalId);
    expect(h.api.callsTo('views.open')).toHaveLength(1);
    h.api.emails.delete(APPROVER);
  });

  it('"Revert now" reverts at once through the evaluator and closes the approval', async () => {
    const { groupId, approvalId } = await violation();
    expect((await click(BYSTANDER, ACTIONS.revertNow, approvalId)).status).toBe(200);
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toEqual([
      'tcp 443-443 0.0.0.0/0',
    ]);
    const texts = h.api.callsTo('chat.update').map((c) => textOf(c.body.blocks as Block[]));
    expect(texts.some((t) => t.includes(`<@${BYSTANDER}> asked to revert now`))).toBe(true);
    expect(texts.at(-1)).toContain('a human asked to revert now');
    expect(h.audit).toContainEqual(
      expect.objectContaining({ audit: 'human-action', action: 'revert-now', user: BYSTANDER }),
    );
    await expect(h.scheduledInput(approvalId)).rejects.toThrow();

    // A late "Approve exception…" on the closed notice is refused.
    await click(APPROVER, ACTIONS.approveException, approvalId);
    expect(String(h.api.callsTo('chat.postEphemeral').at(-1)!.body.text)).toContain(
      'already decided',
    );
  });
});
