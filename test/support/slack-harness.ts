import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { randomUUID } from 'node:crypto';
import { createRampart, type Rampart } from '../../src/app';
import { AuditLog, createLogger, type AuditRecord } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import type { Mode } from '../../src/domain';
import { SchedulerDeadlines } from '../../src/exceptions/deadline';
import { ensureExceptionsTable, type TableRef } from '../../src/exceptions/table';
import { freePort } from '../../src/local/moto';
import { createSlackClient } from '../../src/slack/reporter';
import { localReceiver, refusalLog, slackAppFromEnv } from '../../src/slack/app-wiring';
import { humanLoopFromEnv, type HumanLoop } from '../../src/slack/wiring';
import { SlackApiStandIn } from './slack-api';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const CHANNEL = 'C0RAMPART';
export const APPROVER = 'UAPPROVER';
export const GROUP_APPROVER = 'UGROUPMEMBER';
export const REQUESTER = 'UREQUESTER';
export const BYSTANDER = 'UBYSTANDER';
/** The Slack user of the test events' author (assumed-role/Developer/alice), by configuration. */
export const AUTHOR = 'UALICE';
export const DEVELOPER_ROLE = 'arn:aws:iam::123456789012:role/Developer';
export const SCHEDULER_ROLE = 'arn:aws:iam::123456789012:role/RampartSchedulerRole';

export interface SlackHarness {
  api: SlackApiStandIn;
  /** Evaluator wired with the human loop, `sg-no-public-ingress` in the given mode. */
  rampart: Rampart;
  loop: HumanLoop;
  table: TableRef;
  /** bolt's endpoint, `http://127.0.0.1:<port>/slack/events`. */
  url: string;
  audit: AuditRecord[];
  /** Another evaluator on the same table, Slack and scheduler, with the policy in another mode. */
  evaluatorIn(mode: Mode): Rampart['evaluator'];
  /** The Target.Input of the deadline schedule moto stored (moto never fires schedules). */
  scheduledInput(approvalId: string): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * The Slack app on bolt's HTTP receiver (127.0.0.1, a free port) against the Web API
 * stand-in, with exceptions in a fresh moto DynamoDB table and deadlines in moto's
 * EventBridge Scheduler.
 */
export async function startSlackHarness(
  region: string,
  mode: Mode = 'approve',
  options: { identities?: Record<string, unknown> } = {},
): Promise<SlackHarness> {
  const api = await new SlackApiStandIn().start();
  api.userGroups.set('SSECOPS', [GROUP_APPROVER]);
  const clients = new AwsClients({ maxAttempts: 2 });
  const table = { name: `rampart-exceptions-${randomUUID().slice(0, 8)}`, region };
  await ensureExceptionsTable(clients, table);
  const catalog = defaultCatalog();
  const configFor = (m: Mode) =>
    parseConfig(
      {
        policies: { 'sg-no-public-ingress': { mode: m } },
        slack: {
          channel: CHANNEL,
          approvers: { users: [APPROVER], userGroups: ['SSECOPS'] },
          identities: options.identities ?? { [AUTHOR]: { principalArns: [DEVELOPER_ROLE] } },
        },
      },
      catalog,
    );
  const config = configFor(mode);
  const env = {
    AWS_REGION: region,
    RAMPART_EXCEPTIONS_TABLE: table.name,
    RAMPART_APPROVAL_TARGET_ARN: `arn:aws:lambda:${region}:123456789012:function:rampart-evaluator`,
    RAMPART_SCHEDULER_ROLE_ARN: SCHEDULER_ROLE,
  };
  // Fast backoff in tests; production keeps the defaults of slackClientOptions.
  const slackClientOptions = {
    slackApiUrl: api.url,
    retryConfig: { retries: 3, factor: 2, minTimeout: 10, maxTimeout: 50 },
  };
  const slackClient = createSlackClient('xoxb-test-token', slackClientOptions);
  const loop = humanLoopFromEnv({ catalog, config, clients, env, slackClient });
  const records: AuditRecord[] = [];
  const audit = new AuditLog(createLogger());
  audit.subscribe((r) => records.push(r));
  const rampart = createRampart({ config, clients, audit, humanLoop: loop });
  const receiver = localReceiver(SIGNING_SECRET, refusalLog(audit));
  const app = slackAppFromEnv({
    ...rampart,
    env,
    credentials: { signingSecret: SIGNING_SECRET, botToken: 'xoxb-test-token' },
    receiver,
    loop,
    slackClientOptions,
  });
  const port = await freePort();
  await receiver.start({ port, host: '127.0.0.1' });
  return {
    api,
    rampart,
    loop,
    table,
    url: `http://127.0.0.1:${port}/slack/events`,
    audit: records,
    evaluatorIn: (m) =>
      createRampart({ config: configFor(m), clients, audit, humanLoop: loop }).evaluator,
    async scheduledInput(approvalId) {
      const out = await clients
        .get(SchedulerClient, { region })
        .send(new GetScheduleCommand({ Name: SchedulerDeadlines.scheduleName(approvalId) }));
      return JSON.parse(out.Target!.Input!);
    },
    async stop() {
      await app.stop();
      await api.stop();
      clients.destroy();
    },
  };
}
