import { EC2Client } from '@aws-sdk/client-ec2';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { AuditLog, createLogger, type AuditRecord } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { ensureExceptionsTable } from '../../src/exceptions/table';
import { createSlackClient } from '../../src/slack/reporter';
import { humanLoopFromEnv } from '../../src/slack/wiring';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, ingressRules, seedSecurityGroup } from '../support/ec2';
import { SlackApiStandIn } from '../support/slack-api';

const REGION = 'eu-north-1';

describe('notices: Slack retries, failures that never undo a revert, SNS', () => {
  let api: SlackApiStandIn;
  let rampart: Rampart;
  let ec2: EC2Client;
  let sqs: SQSClient;
  let queueUrl: string;
  let clients: AwsClients;
  const audit: AuditRecord[] = [];

  beforeAll(async () => {
    api = await new SlackApiStandIn().start();
    clients = new AwsClients({ maxAttempts: 2 });
    const catalog = defaultCatalog();
    const config = parseConfig(
      { slack: { channel: 'C0NOTICES', approvers: { users: ['UAPPROVER'] } } },
      catalog,
    );
    const table = { name: `rampart-notices-${randomUUID().slice(0, 8)}`, region: REGION };
    await ensureExceptionsTable(clients, table);

    const sns = new SNSClient({ region: REGION });
    sqs = new SQSClient({ region: REGION });
    const topic = await sns.send(
      new CreateTopicCommand({ Name: `rampart-notices-${randomUUID().slice(0, 8)}` }),
    );
    const queue = await sqs.send(
      new CreateQueueCommand({ QueueName: `notices-${randomUUID().slice(0, 8)}` }),
    );
    queueUrl = queue.QueueUrl!;
    const queueArn = (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
      )
    ).Attributes!.QueueArn!;
    await sns.send(
      new SubscribeCommand({
        TopicArn: topic.TopicArn,
        Protocol: 'sqs',
        Endpoint: queueArn,
        Attributes: { RawMessageDelivery: 'false' },
      }),
    );
    sns.destroy();

    const slackClient = createSlackClient('xoxb-test', {
      slackApiUrl: api.url,
      retryConfig: { retries: 2, factor: 2, minTimeout: 10, maxTimeout: 40 },
      timeout: 2_000,
    });
    const env = {
      AWS_REGION: REGION,
      RAMPART_EXCEPTIONS_TABLE: table.name,
      RAMPART_NOTICES_TOPIC_ARN: topic.TopicArn,
    };
    const humanLoop = humanLoopFromEnv({ catalog, config, clients, env, slackClient });
    expect(humanLoop.reporters.map((r) => r.name)).toEqual(['slack', 'sns']);
    const log = new AuditLog(createLogger());
    log.subscribe((r) => audit.push(r));
    rampart = createRampart({ config, clients, audit: log, humanLoop });
    ec2 = new EC2Client({ region: REGION });
  });
  afterAll(async () => {
    ec2.destroy();
    sqs.destroy();
    clients.destroy();
    await api.stop();
  });
  beforeEach(() => {
    api.reset();
    audit.length = 0;
  });

  async function revertOne() {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const result = await rampart.evaluator.handleEvent(
      authorizeIngressEvent(
        groupId,
        [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
        {},
        { region: REGION },
      ),
    );
    expect(result.status === 'handled' && result.resources[0]!.outcomes[0]!.status).toBe(
      'reverted',
    );
    return groupId;
  }

  it('waits out a 429 for its Retry-After and retries a 500, then posts once', async () => {
    api.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    api.failNext('chat.postMessage', { status: 500 });
    const started = Date.now();
    await revertOne();
    const attempts = api.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.status);
    expect(attempts).toEqual([429, 500, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // Retry-After honoured
    expect(audit.filter((r) => r.audit === 'report-failed')).toEqual([]);
  });

  it('a notice that keeps failing is audited as failed; the revert stands', async () => {
    api.failNext('chat.postMessage', { status: 503 }, 10);
    const groupId = await revertOne();
    expect(api.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.status)).toEqual([
      503, 503, 503,
    ]);
    expect(await ingressRules(ec2, groupId)).toEqual([]);
    expect(audit).toContainEqual(expect.objectContaining({ audit: 'outcome', status: 'reverted' }));
    expect(audit).toContainEqual(
      expect.objectContaining({
        audit: 'report-failed',
        reporter: 'slack',
        error: expect.stringContaining('503'),
      }),
    );
  });

  it('publishes every notice to SNS as JSON with a short subject', async () => {
    const groupId = await revertOne();
    let body: { Subject: string; Message: string } | undefined;
    for (let i = 0; i < 10 && !body; i++) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      body = (out.Messages ?? [])
        .map((m) => JSON.parse(m.Body!) as { Subject: string; Message: string })
        .find((m) => m.Message.includes(groupId));
    }
    expect(body!.Subject).toBe(`[Rampart] Reverted: sg-no-public-ingress on ${groupId}`);
    expect(body!.Subject.length).toBeLessThanOrEqual(100);
    expect(JSON.parse(body!.Message)).toMatchObject({
      schema: 'rampart.notice/1',
      kind: 'reverted',
      policy: { id: 'sg-no-public-ingress', severity: 'high' },
      resource: { id: groupId, region: REGION },
      changes: [expect.stringContaining('tcp 22')],
      outcome: { status: 'reverted', timeToRevertMs: expect.any(Number) },
    });
  });
});
