import { EC2Client } from '@aws-sdk/client-ec2';
import type { SQSEvent, SQSBatchResponse } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { createRampart } from '../../src/app';
import { AuditLog, createLogger, type AuditRecord } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { createEvaluatorHandler } from '../../src/handlers/evaluator';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, OPEN_443, ingressRules, seedSecurityGroup } from '../support/ec2';
import { envelopeOf, loadSample } from '../support/samples';

const REGION = 'ap-northeast-1';

function sqsBatch(bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `msg-${i}`,
      receiptHandle: `rh-${i}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'x',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:ap-northeast-1:123456789012:rampart-events',
      awsRegion: REGION,
    })),
  };
}

describe('evaluator Lambda handler', () => {
  const clients = new AwsClients({ maxAttempts: 1 });
  const audit = new AuditLog(
    createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }),
  );
  const records: AuditRecord[] = [];
  audit.subscribe((r) => records.push(r));
  const handler = createEvaluatorHandler(createRampart({ clients, audit }));
  const ec2 = new EC2Client({ region: REGION });
  afterAll(() => {
    clients.destroy();
    ec2.destroy();
  });

  it('a FIFO batch (one message group per account): a failed record fails the rest of its group only', async () => {
    const groupA = await seedSecurityGroup(ec2, [OPEN_22]);
    const groupB = await seedSecurityGroup(ec2, [OPEN_22]);
    const open = (group: string) =>
      JSON.stringify(
        authorizeIngressEvent(
          group,
          [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
          {},
          { region: REGION },
        ),
      );
    const batch = sqsBatch(['{"truncated": ', open(groupA), open(groupB)]);
    const groups = ['111111111111', '111111111111', '222222222222'];
    batch.Records.forEach((r, i) => {
      r.attributes.MessageGroupId = groups[i]!;
    });
    const response = (await handler(batch)) as SQSBatchResponse;
    // msg-0 is malformed: msg-1 (same account, after it) waits for its retry, in order.
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'msg-0' },
      { itemIdentifier: 'msg-1' },
    ]);
    expect(await ingressRules(ec2, groupA)).toHaveLength(1);
    // The other account's record was handled: its rule is reverted.
    expect(await ingressRules(ec2, groupB)).toEqual([]);
  });

  it('handles an SQS batch, failing only the records that need a retry or the DLQ', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22, OPEN_443]);
    const good = authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      {},
      { region: REGION },
    );
    const skipped = envelopeOf(loadSample('panther__AuthorizeSecurityGroupIngress__2.json')); // failed call
    const malformedEvent = authorizeIngressEvent(
      groupId,
      [],
      { requestParameters: null },
      { region: REGION },
    );
    const response = (await handler(
      sqsBatch([
        JSON.stringify(good),
        '{"truncated": ',
        JSON.stringify(skipped),
        JSON.stringify(malformedEvent),
      ]),
    )) as SQSBatchResponse;

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'msg-1' },
      { itemIdentifier: 'msg-3' },
    ]);
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toEqual([
      'tcp 443-443 0.0.0.0/0',
    ]);
    expect(records.some((r) => r.audit === 'skipped' && r.code === 'failed-call')).toBe(true);
  });

  it('succeeds for a group deleted since the event: nothing is left to judge', async () => {
    const event = authorizeIngressEvent(
      'sg-0123456789abcdef0',
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      {},
      { region: REGION },
    );
    const response = (await handler(sqsBatch([JSON.stringify(event)]))) as SQSBatchResponse;
    expect(response.batchItemFailures).toEqual([]);
  });

  it('fails a record whose remediation was refused, so it is retried and then dead-lettered', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const refusing = new AwsClients({ maxAttempts: 1 });
    refusing.get(EC2Client, { region: REGION, account: '123456789012' }).middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'RevokeSecurityGroupIngressCommand') {
          throw Object.assign(new Error('You are not authorized to perform this operation.'), {
            name: 'UnauthorizedOperation',
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'refuseRevoke' },
    );
    const refusingHandler = createEvaluatorHandler(createRampart({ clients: refusing, audit }));
    const event = authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      {},
      { region: REGION },
    );
    const response = (await refusingHandler(sqsBatch([JSON.stringify(event)]))) as SQSBatchResponse;
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    expect(
      records.find((r) => r.audit === 'outcome' && r.eventId === event.detail.eventID),
    ).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('UnauthorizedOperation'),
    });
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toEqual(['tcp 22-22 0.0.0.0/0']);
    refusing.destroy();
  });

  it('takes a single EventBridge event directly and throws on one that cannot be handled', async () => {
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const result = await handler(
      authorizeIngressEvent(
        groupId,
        [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
        {},
        { region: REGION },
      ),
    );
    expect(result).toMatchObject({
      status: 'handled',
      resources: [{ outcomes: [{ status: 'reverted' }] }],
    });
    await expect(
      handler({ 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'X' } }),
    ).rejects.toThrow(/detail\.eventID is missing/);
  });
});
