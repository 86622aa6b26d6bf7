import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { randomUUID } from 'node:crypto';
import { createRampart } from '../app';
import { AuditLog, createLogger } from '../audit';
import { defaultCatalog } from '../catalog';
import { parseConfig } from '../config';
import type { EventResult } from '../engine/evaluator';
import { SchedulerDeadlines, approvalIdOf } from '../exceptions/deadline';
import type { ExceptionStore } from '../exceptions/store';
import { ensureExceptionsTable } from '../exceptions/table';
import { describeRule, readSecurityGroupRules } from '../resources/ec2-security-group';
import { announceGrant, grantFromNotice } from '../slack/app';
import type { Block } from '../slack/blocks';
import { renderBlocksForTerminal } from '../slack/terminal';
import { createSlackClient } from '../slack/reporter';
import { humanLoopFromEnv } from '../slack/wiring';
import { cloudTrailEvent } from './events';
import type { DemoContext } from './scenario';

const DEMO_APPROVER = 'UDEMOAPPROVER';

/**
 * A Web API `fetch` that shows chat.postMessage / chat.update in the terminal. With a real
 * token and channel it also forwards the call to Slack, so the same messages are posted.
 */
function terminalFetch(print: (line: string) => void, forward: boolean): typeof fetch {
  let ts = 1;
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const method = url.split('/').pop() ?? '';
    const form = new URLSearchParams(String(init?.body ?? ''));
    if (method === 'chat.postMessage' || method === 'chat.update') {
      const blocks = JSON.parse(form.get('blocks') ?? '[]') as Block[];
      const title = method === 'chat.update' ? 'Slack (message edited)' : 'Slack (new message)';
      print(`  ┌─ ${title} ${'─'.repeat(Math.max(0, 60 - title.length))}`);
      for (const line of renderBlocksForTerminal(blocks).trimEnd().split('\n'))
        print(`  │ ${line}`);
      print(`  └${'─'.repeat(64)}`);
    }
    if (forward) return fetch(input, init);
    const body =
      method === 'chat.postMessage'
        ? { ok: true, channel: form.get('channel'), ts: `${ts++}.000001` }
        : { ok: true, channel: form.get('channel'), ts: form.get('ts') };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}

async function openSsh(ctx: DemoContext, name: string) {
  const ec2 = ctx.clients.get(EC2Client, ctx);
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: name, Description: `Rampart demo: ${name}` }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      ],
    }),
  );
  const event = cloudTrailEvent(ctx, {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'AuthorizeSecurityGroupIngress',
    requestParameters: {
      groupId: GroupId,
      ipPermissions: {
        items: [
          {
            ipProtocol: 'tcp',
            fromPort: 22,
            toPort: 22,
            ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] },
          },
        ],
      },
    },
    responseElements: { _return: true },
  });
  const rules = async () =>
    (await readSecurityGroupRules(ctx.clients, ctx, GroupId!))
      .filter((r) => !r.isEgress)
      .map((r) => `${GroupId}  ${describeRule(r)}`);
  const arn = `arn:aws:ec2:${ctx.region}:${ctx.account}:security-group/${GroupId}`;
  return { groupId: GroupId!, arn, event, rules };
}

function statusOf(result: EventResult): string {
  return result.status === 'handled'
    ? result.resources.flatMap((r) => r.outcomes.map((o) => o.status)).join(', ')
    : `skipped (${result.reason})`;
}

/**
 * The human side in the terminal: mode `approve` on sg-no-public-ingress, one violation an
 * approver excepts, one nobody answers (reverted at the deadline). Messages are rendered
 * as Slack would show them; with SLACK_BOT_TOKEN and RAMPART_DEMO_SLACK_CHANNEL set they
 * are also posted for real.
 */
export async function runSlackDemo(
  ctx: DemoContext,
  print: (line?: string) => void,
): Promise<{ failed: number; exceptions?: ExceptionStore }> {
  const token = process.env.SLACK_BOT_TOKEN;
  const channel = process.env.RAMPART_DEMO_SLACK_CHANNEL;
  const live = Boolean(token && channel);
  const table = { name: `rampart-demo-exceptions-${randomUUID().slice(0, 8)}`, region: ctx.region };
  await ensureExceptionsTable(ctx.clients, table);
  const catalog = defaultCatalog();
  const config = parseConfig(
    {
      policies: { 'sg-no-public-ingress': { mode: 'approve' } },
      slack: { channel: live ? channel : 'C0DEMO', approvers: { users: [DEMO_APPROVER] } },
    },
    catalog,
  );
  const slackClient = createSlackClient(live ? token! : 'xoxb-demo', {
    fetch: terminalFetch((l) => print(l), live),
  });
  const loop = humanLoopFromEnv({
    catalog,
    config,
    clients: ctx.clients,
    slackClient,
    env: {
      RAMPART_EXCEPTIONS_TABLE: table.name,
      AWS_REGION: ctx.region,
      // moto stores the schedule; the demo delivers its input itself when "the time comes".
      RAMPART_APPROVAL_TARGET_ARN: `arn:aws:lambda:${ctx.region}:${ctx.account}:function:rampart-evaluator`,
      RAMPART_SCHEDULER_ROLE_ARN: `arn:aws:iam::${ctx.account}:role/RampartSchedulerRole`,
    },
  });
  const audit = new AuditLog(
    createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }),
  );
  const { evaluator } = createRampart({ config, clients: ctx.clients, audit, humanLoop: loop });
  const scheduled = async (approvalId: string) => {
    const out = await ctx.clients
      .get(SchedulerClient, ctx)
      .send(new GetScheduleCommand({ Name: SchedulerDeadlines.scheduleName(approvalId) }));
    print(`  schedule  ${out.Name} at ${out.ScheduleExpression} (one-time, deletes itself)`);
    return JSON.parse(out.Target!.Input!) as unknown;
  };
  let failed = 0;
  const expect = (what: string, actual: string, wanted: string) => {
    const ok = actual === wanted;
    if (!ok) failed++;
    print(
      `  ${ok ? 'outcome' : 'UNEXPECTED'}   ${what} → ${actual}${ok ? '' : ` (wanted ${wanted})`}`,
    );
  };

  print(
    `  mode      sg-no-public-ingress in mode approve; approver <@${DEMO_APPROVER}>${live ? `; posting to ${channel}` : ''}`,
  );

  // 1. Approved: the exception holds when the deadline fires.
  print();
  print('  1) someone opens SSH to the world; an approver grants a 7-day exception');
  const approved = await openSsh(ctx, `demo-approved-${randomUUID().slice(0, 6)}`);
  const first = await evaluator.handleEvent(approved.event);
  expect('event', statusOf(first), 'awaiting-approval');
  const posted = await loop.notices?.get(
    approvalIdOf(approved.event.detail.eventID, 'sg-no-public-ingress', approved.arn),
  );
  if (!posted || !loop.exceptions || !loop.slack)
    throw new Error('demo: the notice was not stored');
  const deadlineEvent = await scheduled(posted.notice.id);
  const deps = {
    exceptions: loop.exceptions,
    audit,
    deadlines: loop.approvals,
    reporter: loop.slack,
  };
  const record = await grantFromNotice(deps, posted.notice, {
    user: DEMO_APPROVER,
    scope: { kind: 'resource', arn: posted.notice.resource.arn },
    days: 7,
    justification: 'Vendor needs SSH for the migration this week (ticket SEC-42)',
  });
  await announceGrant(deps, posted, record);
  expect(
    'deadline delivered anyway',
    statusOf(await evaluator.handleEvent(deadlineEvent)),
    'excepted',
  );
  for (const line of await approved.rules()) print(`  after     ${line} (left open: excepted)`);

  // 2. No answer: reverted at the deadline by the same remediator.
  print();
  print('  2) the same change, and nobody answers before the deadline');
  const unanswered = await openSsh(ctx, `demo-unanswered-${randomUUID().slice(0, 6)}`);
  const second = await evaluator.handleEvent(unanswered.event);
  expect('event', statusOf(second), 'awaiting-approval');
  const secondInput = await scheduled(
    approvalIdOf(unanswered.event.detail.eventID, 'sg-no-public-ingress', unanswered.arn),
  );
  print('  ... 15 minutes later, EventBridge Scheduler delivers the deadline');
  expect('deadline', statusOf(await evaluator.handleEvent(secondInput)), 'reverted');
  const left = await unanswered.rules();
  print(
    `  after     ${left.length === 0 ? `${unanswered.groupId}  no ingress rules left` : left.join('; ')}`,
  );
  return { failed, exceptions: loop.exceptions };
}
