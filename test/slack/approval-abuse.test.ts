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

/**
 * The approval rule under attack, through the real bolt app (signed requests), the Web
 * API stand-in and moto: an exception is approved only by someone provably not the
 * change's author, never by its requester, with four eyes when the author is nobody Slack
 * knows; every decision is taken once. Each case asserts what is in DynamoDB and EC2 after.
 */

const REGION = 'eu-south-1';
const ACCOUNT = '123456789012';
const FORM = 'application/x-www-form-urlencoded';
const SSO_ROLE_NAME = 'AWSReservedSSO_PowerUserAccess_0123456789abcdef';

// Slack users. The first five are approvers (through the group) so that only the
// identity rule stands between them and their own exception.
const ALICE = 'UALICE'; // alice@corp.example; her Identity Center session is alice@corp.example
const IAM_ALICE = 'UIAMALICE'; // mapped to IAM user alice
const FEDERATOR = 'UFEDERATOR'; // mapped to IAM user federator (GetFederationToken)
const ROOT_OWNER = 'UROOTOWNER'; // mapped to the account's root
const LOOKALIKE = 'ULOOKALIKE'; // alice@corp.example.evil
const MALLORY = 'UMALLORY'; // mallory@corp.example, an approver

const identity = {
  sso: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLE:alice@corp.example',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${SSO_ROLE_NAME}/alice@corp.example`,
    accountId: ACCOUNT,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${REGION}/${SSO_ROLE_NAME}`,
        accountId: ACCOUNT,
      },
    },
  },
  iamUser: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT },
  federated: {
    type: 'FederatedUser',
    arn: `arn:aws:sts::${ACCOUNT}:federated-user/alice`,
    accountId: ACCOUNT,
    sessionContext: {
      sessionIssuer: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/federator` },
    },
  },
  root: { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT },
  sourceIdentity: {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deploy/ci-run-42`,
    accountId: ACCOUNT,
    sessionContext: {
      sourceIdentity: 'alice@corp.example',
      sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/Deploy` },
    },
  },
  /** No ARN at all (a service acting, or an event that names nobody). */
  nobody: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
  /** Mallory's own plain AssumeRole session, named after Bob to frame him. */
  framing: {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Developer/bob@corp.example`,
    accountId: ACCOUNT,
    sessionContext: {
      sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/Developer` },
    },
  },
};

function statusOf(result: EventResult): string {
  if (result.status !== 'handled') throw new Error(`not handled: ${JSON.stringify(result)}`);
  return result.resources[0]!.outcomes[0]!.status;
}

function formValues(justification = 'Vendor maintenance window, ticket SEC-77', tag?: string) {
  return {
    [MODAL_FIELDS.scope.block]: {
      [MODAL_FIELDS.scope.action]: {
        type: 'radio_buttons',
        selected_option: { value: tag ? 'tag' : 'resource' },
      },
    },
    [MODAL_FIELDS.tag.block]: {
      [MODAL_FIELDS.tag.action]: { type: 'plain_text_input', value: tag ?? null },
    },
    [MODAL_FIELDS.duration.block]: {
      [MODAL_FIELDS.duration.action]: { type: 'static_select', selected_option: { value: '1' } },
    },
    [MODAL_FIELDS.justification.block]: {
      [MODAL_FIELDS.justification.action]: { type: 'plain_text_input', value: justification },
    },
  };
}

describe('approvals under attack (mode approve and enforce, bolt on 127.0.0.1, moto)', () => {
  let h: SlackHarness;
  let ec2: EC2Client;

  beforeAll(async () => {
    h = await startSlackHarness(REGION, 'approve', {
      identities: {
        [IAM_ALICE]: { principalArns: [`arn:aws:iam::${ACCOUNT}:user/alice`] },
        [FEDERATOR]: { principalArns: [`arn:aws:iam::${ACCOUNT}:user/federator`] },
        [ROOT_OWNER]: { principalArns: [`arn:aws:iam::${ACCOUNT}:root`] },
      },
    });
    ec2 = new EC2Client({ region: REGION });
  });
  afterAll(async () => {
    ec2.destroy();
    await h.stop();
  });
  beforeEach(() => {
    h.api.reset();
    h.api.userGroups.set('SSECOPS', [
      GROUP_APPROVER,
      ALICE,
      IAM_ALICE,
      FEDERATOR,
      ROOT_OWNER,
      LOOKALIKE,
      MALLORY,
    ]);
    h.api.emails.set(ALICE, 'alice@corp.example');
    h.api.emails.set(LOOKALIKE, 'alice@corp.example.evil');
    h.api.emails.set(MALLORY, 'mallory@corp.example');
    h.api.emails.set(APPROVER, 'bob@corp.example');
    h.api.emails.set(GROUP_APPROVER, 'carol@corp.example');
  });

  const post = (body: string, timestampSeconds?: number) =>
    postSigned(h.url, body, FORM, {
      secret: SIGNING_SECRET,
      ...(timestampSeconds ? { timestampSeconds } : {}),
    });
  const click = (user: string, actionId: string, value: string) =>
    post(interactionBody(buttonClick(user, CHANNEL, '1.0', actionId, value)));
  const submitBody = (user: string, metadata: string, values = formValues()) =>
    interactionBody(
      viewSubmission(user, { callback_id: EXCEPTION_MODAL, private_metadata: metadata }, values),
    );
  const lastEphemeral = () => String(h.api.callsTo('chat.postEphemeral').at(-1)?.body.text ?? '');
  const lastUpdate = () =>
    JSON.stringify(h.api.callsTo('chat.update').at(-1)!.body.blocks as Block[]);
  const opened = () => h.api.callsTo('views.open').length;
  const lastView = () =>
    h.api.callsTo('views.open').at(-1)!.body.view as { private_metadata: string };
  const exceptionsOn = (arn: string) => h.loop.exceptions!.listActive(Date.now(), { arn });

  /** A change by `userIdentity` opening SSH to the world, left in place awaiting approval. */
  async function change(userIdentity: object, mode: 'approve' | 'enforce' = 'approve') {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const arn = `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${groupId}`;
    const event = authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      { userIdentity },
      { region: REGION },
    );
    const evaluator = mode === 'approve' ? h.rampart.evaluator : h.evaluatorIn(mode);
    const status = statusOf(await evaluator.handleEvent(event));
    expect(status).toBe(mode === 'approve' ? 'awaiting-approval' : 'reverted');
    const noticeId = approvalIdOf(event.detail.eventID, 'sg-no-public-ingress', arn);
    return { groupId, arn, noticeId };
  }

  /** Opens the approve form as `user` and submits it; the response of the submission. */
  async function grantAs(user: string, noticeId: string) {
    await click(user, ACTIONS.approveException, noticeId);
    const res = await post(submitBody(user, lastView().private_metadata));
    expect(res.status).toBe(200);
    return res.text ? (JSON.parse(res.text) as { errors?: Record<string, string> }) : {};
  }

  it.each([
    ['an Identity Center session, by profile email', identity.sso, ALICE],
    ['an IAM user, by slack.identities', identity.iamUser, IAM_ALICE],
    ['a federated user, by the IAM user that federated', identity.federated, FEDERATOR],
    ['root, by slack.identities', identity.root, ROOT_OWNER],
    ['a session whose sourceIdentity is her email', identity.sourceIdentity, ALICE],
  ])(
    'the author of %s cannot approve her own change; another approver alone can',
    async (_l, who, author) => {
      const { arn, noticeId, groupId } = await change(who);
      await click(author, ACTIONS.approveException, noticeId);
      expect(lastEphemeral()).toContain(`nobody approves their own change: <@${author}>`);
      expect(opened()).toBe(0);
      expect(await exceptionsOn(arn)).toEqual([]);
      expect(h.audit).toContainEqual(
        expect.objectContaining({
          action: 'approve-exception',
          user: author,
          refused: expect.stringContaining('own change'),
        }),
      );

      // The author is tied to a Slack user, so one other approver is enough.
      expect(await grantAs(APPROVER, noticeId)).toEqual({});
      const [exception] = await exceptionsOn(arn);
      expect(exception).toMatchObject({ approver: APPROVER });
      expect(exception!.approvers).toBeUndefined();
      expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toContain(
        'tcp 22-22 0.0.0.0/0',
      );
    },
  );

  it('exact, never by fragment: a look-alike email is someone else; the email in another case is not', async () => {
    const first = await change(identity.sso);
    h.api.emails.set(ALICE, 'ALICE@Corp.Example');
    await click(ALICE, ACTIONS.approveException, first.noticeId);
    expect(lastEphemeral()).toContain('nobody approves their own change');
    expect(await grantAs(LOOKALIKE, first.noticeId)).toEqual({});
    expect(await exceptionsOn(first.arn)).toMatchObject([{ approver: LOOKALIKE }]);
  });

  it('on the request path the author cannot approve what someone else asked for', async () => {
    const { arn, noticeId, groupId } = await change(identity.sso, 'enforce');
    expect(await ingressRules(ec2, groupId)).toEqual([]);
    await click(BYSTANDER, ACTIONS.requestException, noticeId);
    expect((await post(submitBody(BYSTANDER, lastView().private_metadata))).status).toBe(200);
    const requestId = /"action_id":"rampart_approve_request","value":"(req-[^"]+)"/.exec(
      lastUpdate(),
    )![1]!;

    await click(ALICE, ACTIONS.approveRequest, requestId);
    expect(lastEphemeral()).toContain(`nobody approves their own change: <@${ALICE}>`);
    expect(await exceptionsOn(arn)).toEqual([]);
    const request = await h.loop.exceptions!.getRequest(requestId);
    expect(request).toMatchObject({ status: 'pending', approvals: [] });

    await click(APPROVER, ACTIONS.approveRequest, requestId);
    expect(await exceptionsOn(arn)).toMatchObject([
      { approver: APPROVER, requester: { slackUserId: BYSTANDER } },
    ]);
  });

  it('an author no Slack user can be tied to needs two distinct approvers, both audited', async () => {
    const { arn, noticeId, groupId } = await change(identity.nobody);
    expect(await grantAs(APPROVER, noticeId)).toEqual({});
    expect(await exceptionsOn(arn)).toEqual([]);
    const pending = lastUpdate();
    expect(pending).toContain('a second, different approver is needed');
    const requestId = /"action_id":"rampart_approve_request","value":"(req-[^"]+)"/.exec(
      pending,
    )![1]!;

    // The first approver again, by button or by a second form: refused.
    await click(APPROVER, ACTIONS.approveRequest, requestId);
    expect(lastEphemeral()).toContain('already approved');
    expect(await exceptionsOn(arn)).toEqual([]);

    await click(GROUP_APPROVER, ACTIONS.approveRequest, requestId);
    const [exception] = await exceptionsOn(arn);
    expect(exception).toMatchObject({
      approver: GROUP_APPROVER,
      approvers: [APPROVER, GROUP_APPROVER],
    });
    expect(lastUpdate()).toContain(`approved by <@${APPROVER}> and <@${GROUP_APPROVER}>`);
    expect(h.audit).toContainEqual(
      expect.objectContaining({ action: 'exception-approved-once', user: APPROVER }),
    );
    expect(h.audit).toContainEqual(
      expect.objectContaining({
        action: 'exception-granted',
        user: GROUP_APPROVER,
        approvers: [APPROVER, GROUP_APPROVER],
      }),
    );
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toContain('tcp 22-22 0.0.0.0/0');
  });

  it('a session named after someone else frames nobody: Bob is refused, Mallory alone is not enough', async () => {
    const { arn, noticeId } = await change(identity.framing);
    await click(APPROVER, ACTIONS.approveException, noticeId); // APPROVER is bob@corp.example
    expect(lastEphemeral()).toContain('nobody approves their own change');
    // The claimed name ties nobody, so Mallory's approval is only the first of two.
    expect(await grantAs(MALLORY, noticeId)).toEqual({});
    expect(await exceptionsOn(arn)).toEqual([]);
    expect(lastUpdate()).toContain('a second, different approver is needed');
  });

  it('replays: a captured form submission or click re-sent after a revoke recreates nothing', async () => {
    const { arn, noticeId } = await change(identity.sso);
    await click(APPROVER, ACTIONS.approveException, noticeId);
    const metadata = lastView().private_metadata;
    const captured = submitBody(APPROVER, metadata);
    const at = Math.floor(Date.now() / 1000);
    expect((await post(captured, at)).status).toBe(200);
    const [granted] = await exceptionsOn(arn);
    expect(granted).toBeDefined();

    const revoke = await post(slashCommandBody(APPROVER, CHANNEL, `revoke ${granted!.id}`));
    expect(JSON.parse(revoke.text).text).toContain('revoked');
    expect(await exceptionsOn(arn)).toEqual([]);

    // Byte for byte the same signed request, within Slack's five minutes.
    const replayed = await post(captured, at);
    expect(replayed.status).toBe(200);
    expect(JSON.parse(replayed.text).errors[MODAL_FIELDS.justification.block]).toMatch(
      /already decided|already submitted/,
    );
    expect(await exceptionsOn(arn)).toEqual([]);

    // Another approver submitting the first one's form: the token is not theirs.
    const stolen = await post(submitBody(GROUP_APPROVER, metadata));
    expect(JSON.parse(stolen.text).errors).toBeDefined();
    expect(await exceptionsOn(arn)).toEqual([]);

    // The decided notice cannot be decided again by a late "Revert now" or a new form.
    await click(BYSTANDER, ACTIONS.revertNow, noticeId);
    expect(lastEphemeral()).toContain('already decided');
    await click(GROUP_APPROVER, ACTIONS.approveException, noticeId);
    expect(lastEphemeral()).toContain('already decided');
    expect(await exceptionsOn(arn)).toEqual([]);
  });

  it('a request form is single-use too: a replay files no second request', async () => {
    const { noticeId } = await change(identity.sso, 'enforce');
    await click(BYSTANDER, ACTIONS.requestException, noticeId);
    const captured = submitBody(BYSTANDER, lastView().private_metadata);
    const at = Math.floor(Date.now() / 1000);
    expect((await post(captured, at)).text).toBe('');
    const updates = h.api.callsTo('chat.update').length;
    const replayed = await post(captured, at);
    expect(JSON.parse(replayed.text).errors[MODAL_FIELDS.justification.block]).toContain(
      'already submitted',
    );
    expect(h.api.callsTo('chat.update').length).toBe(updates);
  });
});
