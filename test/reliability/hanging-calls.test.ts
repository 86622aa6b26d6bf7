import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { SQSBatchResponse } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { AuditLog, createLogger, type AuditRecord } from '../../src/audit';
import { callTimeoutsFor } from '../../src/aws/calls';
import { AwsClients } from '../../src/aws/clients';
import { defaultCatalog } from '../../src/catalog';
import { parseConfig } from '../../src/config';
import { createEvaluatorHandler, recordDeadlineMs } from '../../src/handlers/evaluator';
import { startFaultProxy, type FaultProxy } from '../../src/local/fault-proxy';
import { authorizeIngressEvent, cloudTrailEnvelope } from '../support/cloudtrail';
import { OPEN_22, OPEN_443, ingressRules, seedSecurityGroup } from '../support/ec2';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/reliability';

const REGION = 'ca-central-1'; // this file's own region in the shared moto server

/**
 * The attack: one AWS call that never answers (a stuck connection, an overloaded endpoint).
 * Without timeouts it holds the whole invocation until Lambda kills it, the whole SQS batch
 * is redelivered (records already handled run again) and the stuck record gets no reason.
 */
describe('a call that never answers fails its own record alone, naming the call (moto behind the fault proxy)', () => {
  const motoEndpoint = process.env.AWS_ENDPOINT_URL!;
  let proxy: FaultProxy;
  let ec2: EC2Client;
  let sqs: SQSClient;
  const built: Rampart[] = [];

  function build(clients: AwsClients) {
    const audit: AuditRecord[] = [];
    const log = new AuditLog(
      createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }),
    );
    log.subscribe((r) => audit.push(r));
    const rampart = createRampart({
      config: parseConfig({}, defaultCatalog()),
      clients,
      audit: log,
    });
    built.push(rampart);
    return { handler: createEvaluatorHandler(rampart), audit };
  }

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: motoEndpoint, seed: 3 });
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    ec2 = new EC2Client({ region: REGION, endpoint: motoEndpoint });
    sqs = new SQSClient({ region: REGION, endpoint: motoEndpoint });
  });
  beforeEach(() => proxy.setRules([]));
  afterAll(async () => {
    for (const r of built) r.clients.destroy();
    ec2.destroy();
    sqs.destroy();
    await proxy.close();
    process.env.AWS_ENDPOINT_URL = motoEndpoint;
  });

  /** A batch: one security-group event whose read will hang, two queues without a DLQ. */
  async function batch() {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22, OPEN_443]);
    const queues: string[] = [];
    const records = [
      sqsRecord(
        JSON.stringify(
          authorizeIngressEvent(
            groupId,
            [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
            {},
            {
              region: REGION,
            },
          ),
        ),
      ),
    ];
    for (const name of [
      `hang-a-${randomUUID().slice(0, 8)}`,
      `hang-b-${randomUUID().slice(0, 8)}`,
    ]) {
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
      queues.push(url);
      records.push(
        sqsRecord(
          JSON.stringify(
            cloudTrailEnvelope(
              {
                eventSource: 'sqs.amazonaws.com',
                eventName: 'CreateQueue',
                requestParameters: { queueName: name },
                responseElements: { queueUrl: url },
              },
              { region: REGION },
            ),
          ),
        ),
      );
    }
    return { groupId, queues, records };
  }

  async function expectOthersHandled(groupId: string, queues: string[]) {
    for (const url of queues) {
      const attrs = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }),
      );
      expect(attrs.Attributes?.RedrivePolicy, url).toBeDefined();
    }
    // The stuck record wrote nothing: its open rule is still there, to be retried.
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toEqual([
      'tcp 22-22 0.0.0.0/0',
      'tcp 443-443 0.0.0.0/0',
    ]);
  }

  it('the SDK request timeout ends the hanging call; only its record is a batch item failure', async () => {
    const { handler, audit } = build(
      new AwsClients({
        maxAttempts: 2,
        timeouts: { connectionTimeoutMs: 500, requestTimeoutMs: 300 },
      }),
    );
    const { groupId, queues, records } = await batch();
    proxy.setRules([{ api: 'ec2:DescribeSecurityGroupRules', rate: 1, fault: { kind: 'hang' } }]);
    const started = Date.now();
    const response = (await handler(sqsEvent(records), lambdaContext(20_000))) as SQSBatchResponse;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[0]!.messageId }]);
    const failed = audit.filter((r) => r.audit === 'record-failed');
    expect(failed).toHaveLength(1);
    expect(String(failed[0]!.reason)).toMatch(
      /ec2:DescribeSecurityGroupRules did not answer in time/,
    );
    await expectOthersHandled(groupId, queues);
  });

  it('past its deadline a record fails alone, naming the call it waits for, while the others finish', async () => {
    const { handler, audit } = build(
      new AwsClients({
        maxAttempts: 1,
        timeouts: { connectionTimeoutMs: 500, requestTimeoutMs: 60_000 }, // longer than the invocation
      }),
    );
    const { groupId, queues, records } = await batch();
    proxy.setRules([{ api: 'ec2:DescribeSecurityGroupRules', rate: 1, fault: { kind: 'hang' } }]);
    const context = lambdaContext(3_000);
    const started = Date.now();
    const response = (await handler(sqsEvent(records), context)) as SQSBatchResponse;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[0]!.messageId }]);
    const failed = audit.filter((r) => r.audit === 'record-failed');
    expect(failed.map((r) => r.errorName)).toEqual(['RecordTimeoutError']);
    expect(String(failed[0]!.reason)).toMatch(/waiting for ec2:DescribeSecurityGroupRules$/);
    await expectOthersHandled(groupId, queues);
  });

  it('work past its deadline acts no more: a late answer does not lead to a late revert', async () => {
    const { handler } = build(
      new AwsClients({
        maxAttempts: 1,
        timeouts: { connectionTimeoutMs: 500, requestTimeoutMs: 60_000 },
      }),
    );
    const { groupId, records } = await batch();
    // The read answers, but only after the record's deadline (~1.8 s of a 2 s invocation).
    proxy.setRules([
      { api: 'ec2:DescribeSecurityGroupRules', rate: 1, fault: { kind: 'latency', ms: 2_500 } },
    ]);
    proxy.resetStats();
    const response = (await handler(
      sqsEvent(records.slice(0, 1)),
      lambdaContext(2_000),
    )) as SQSBatchResponse;
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[0]!.messageId }]);
    // Wait past the late answer: the abandoned record must not go on to revoke anything.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(proxy.stats().calls['ec2:RevokeSecurityGroupIngress'] ?? 0).toBe(0);
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toContain('tcp 22-22 0.0.0.0/0');
  });

  it('derives call timeouts from the function timeout: every retry fits inside it', () => {
    expect(callTimeoutsFor(60, 3)).toEqual({ requestTimeoutMs: 8571, connectionTimeoutMs: 5000 });
    expect(callTimeoutsFor(10, 3).requestTimeoutMs * 3).toBeLessThan(10_000);
    expect(callTimeoutsFor(900, 3)).toEqual({
      requestTimeoutMs: 30_000,
      connectionTimeoutMs: 5000,
    });
    expect(callTimeoutsFor(undefined)).toEqual({
      requestTimeoutMs: 30_000,
      connectionTimeoutMs: 5000,
    });
    // A record's deadline leaves the invocation time to answer.
    expect(recordDeadlineMs(lambdaContext(60_000))).toBeLessThanOrEqual(58_000);
    expect(recordDeadlineMs(lambdaContext(60_000))).toBeGreaterThan(57_000);
    expect(recordDeadlineMs(undefined)).toBeUndefined();
  });
});
