import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AuthorizeSecurityGroupIngressCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { SQSBatchResponse } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRampart, type Rampart } from '../../src/app';
import { AuditLog, createLogger, type AuditRecord } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { parseConfig } from '../../src/config';
import { defaultCatalog } from '../../src/catalog';
import { createEvaluatorHandler } from '../../src/handlers/evaluator';
import { idempotencyKeyOf } from '../../src/reliability/idempotency';
import { intakeOf } from '../../src/engine/sources';
import { MalformedEventError } from '../../src/events/errors';
import { startFaultProxy, type FaultProxy } from '../../src/local/fault-proxy';
import { authorizeIngressEvent } from '../support/cloudtrail';
import { OPEN_22, OPEN_443, ingressRules, seedSecurityGroup } from '../support/ec2';
import {
  createStateTable,
  lambdaContext,
  recordingReporter,
  sqsEvent,
  sqsRecord,
} from '../support/reliability';

const REGION = 'sa-east-1'; // this file's own region in the shared moto server

describe('evaluator handler: duplicates, revert wars and permanent failures (moto behind the fault proxy)', () => {
  const motoEndpoint = process.env.AWS_ENDPOINT_URL!;
  let proxy: FaultProxy;
  let ec2: EC2Client; // the test's own view of the account, straight to moto
  let table: string;
  let clock = Date.now();
  const built: Rampart[] = [];

  function build(reliability: Record<string, unknown> = {}) {
    const reporter = recordingReporter();
    const audit: AuditRecord[] = [];
    const log = new AuditLog(
      createLogger({ stream: { write: () => true } as unknown as NodeJS.WritableStream }),
    );
    log.subscribe((r) => audit.push(r));
    const rampart = createRampart({
      config: parseConfig({ reliability: { stateTable: table, ...reliability } }, defaultCatalog()),
      clients: new AwsClients({ maxAttempts: 2 }),
      audit: log,
      reporters: [reporter],
      now: () => clock,
    });
    built.push(rampart);
    return { handler: createEvaluatorHandler(rampart), reporter, audit };
  }

  const eventFor = (groupId: string) =>
    authorizeIngressEvent(
      groupId,
      [{ protocol: 'tcp', from: 22, cidr: '0.0.0.0/0' }],
      {},
      {
        region: REGION,
      },
    );

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: motoEndpoint, seed: 11 });
    // Rampart's clients reach AWS through the proxy; the test's own clients go straight to moto.
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    process.env.AWS_REGION = REGION;
    ec2 = new EC2Client({ region: REGION, endpoint: motoEndpoint });
    const dynamodb = new DynamoDBClient({ region: REGION, endpoint: motoEndpoint });
    table = await createStateTable(dynamodb, `rampart-state-${randomUUID()}`);
    dynamodb.destroy();
  });
  beforeEach(() => {
    proxy.setRules([]);
    proxy.resetStats();
  });
  afterAll(async () => {
    for (const r of built) r.clients.destroy();
    ec2.destroy();
    await proxy.close();
    process.env.AWS_ENDPOINT_URL = motoEndpoint;
  });

  it('keys an event by its id and the resources it names, from the one intake', () => {
    const catalog = defaultCatalog();
    const deps = { catalog, config: parseConfig({}, catalog), clients: new AwsClients() };
    const keyOf = (input: unknown) => {
      try {
        return idempotencyKeyOf(intakeOf(deps, input, 0));
      } catch (error) {
        if (error instanceof MalformedEventError) return undefined;
        throw error;
      }
    };
    const a = eventFor('sg-aaa');
    const again = structuredClone(a);
    again.id = randomUUID(); // a redelivery may come in a new envelope
    expect(keyOf(again)).toEqual(keyOf(a));
    expect(keyOf(a)).toMatchObject({
      eventId: a.detail.eventID,
      resources: [`AWS::EC2::SecurityGroup|123456789012|${REGION}|sg-aaa`],
    });
    // The same event id with a different record (garbled or forged) is not a duplicate.
    const forged = structuredClone(a);
    forged.detail.sourceIPAddress = '192.0.2.1';
    expect(keyOf(forged)!.eventId).toBe(a.detail.eventID);
    expect(keyOf(forged)).not.toEqual(keyOf(a));
    const other = structuredClone(a);
    (
      other.detail as unknown as { requestParameters: { groupId: string } }
    ).requestParameters.groupId = 'sg-bbb';
    expect(keyOf(other)).not.toEqual(keyOf(a));
    expect(keyOf({ nonsense: true })).toBeUndefined();
    expect(keyOf({ ...a, detail: { ...a.detail, errorCode: 'X' } })).toBe(undefined);
  });

  it('ten deliveries of one event (sequential and concurrent) give one revert and one notice', async () => {
    const { handler, reporter, audit } = build();
    const groupId = await seedSecurityGroup(ec2, [OPEN_22, OPEN_443]);
    const body = JSON.stringify(eventFor(groupId));

    // Four at once in one batch: one acts, the others find it in progress and are retried.
    const first = (await handler(
      sqsEvent([1, 2, 3, 4].map(() => sqsRecord(body))),
      lambdaContext(2000),
    )) as SQSBatchResponse;
    expect(first.batchItemFailures).toHaveLength(3);
    expect(audit.filter((r) => r.audit === 'record-failed').map((r) => r.errorName)).toEqual([
      'IdempotencyAlreadyInProgressError',
      'IdempotencyAlreadyInProgressError',
      'IdempotencyAlreadyInProgressError',
    ]);
    // The redeliveries and six more later copies return the stored result.
    for (let i = 0; i < 9; i++) {
      const again = (await handler(sqsEvent([sqsRecord(body, 2)]))) as SQSBatchResponse;
      expect(again.batchItemFailures).toEqual([]);
    }
    const reverts = audit.filter((r) => r.audit === 'outcome' && r.status === 'reverted');
    expect(reverts).toHaveLength(1);
    expect(reporter.notices).toHaveLength(1);
    expect(reporter.notices[0]!.outcome?.status).toBe('reverted');
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toEqual([
      'tcp 443-443 0.0.0.0/0',
    ]);
  });

  it('a delivery that failed leaves no record: its retry acts', async () => {
    const { handler, reporter } = build();
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    const body = JSON.stringify(eventFor(groupId));
    proxy.setRules([
      { api: 'ec2:DescribeSecurityGroupRules', rate: 1, fault: { kind: 'throttle' } },
    ]);
    const failed = (await handler(sqsEvent([sqsRecord(body)]))) as SQSBatchResponse;
    expect(failed.batchItemFailures).toHaveLength(1);
    proxy.setRules([]);
    const retried = (await handler(sqsEvent([sqsRecord(body, 2)]))) as SQSBatchResponse;
    expect(retried.batchItemFailures).toEqual([]);
    expect(reporter.notices.map((n) => n.outcome?.status)).toEqual(['reverted']);
    expect(await ingressRules(ec2, groupId)).toEqual([]);
  });

  it('a revert whose response is lost (reset after moto acted) is retried safely: rule gone, nothing else touched', async () => {
    const { handler, reporter } = build();
    const groupId = await seedSecurityGroup(ec2, [OPEN_22, OPEN_443]);
    proxy.setRules([
      {
        api: 'ec2:RevokeSecurityGroupIngress',
        rate: 1,
        times: 1,
        fault: { kind: 'reset-after' },
      },
    ]);
    const out = (await handler(
      sqsEvent([sqsRecord(JSON.stringify(eventFor(groupId)))]),
    )) as SQSBatchResponse;
    expect(proxy.stats().injected).toEqual({ 'ec2:RevokeSecurityGroupIngress reset-after': 1 });
    expect(out.batchItemFailures).toEqual([]);
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toEqual([
      'tcp 443-443 0.0.0.0/0',
    ]);
    expect(reporter.notices).toHaveLength(1);
    // The SDK's retry finds the rule already revoked by the unanswered attempt: a revert.
    const outcome = reporter.notices[0]!.outcome!;
    expect(outcome.status).toBe('reverted');
    expect(outcome.changes).toEqual([
      expect.stringMatching(/^revoked sgr-\w+ \(tcp 22 from 0\.0\.0\.0\/0\)$/),
    ]);
  });

  it('a revert war through the handler: K reverts, one escalation notice, then suppressed', async () => {
    const { handler, reporter } = build({
      revertBreaker: { maxReverts: 2, windowMinutes: 5, cooldownMinutes: 30 },
    });
    const groupId = await seedSecurityGroup(ec2, []);
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock += 1000;
      // Someone else re-opens port 22 and CloudTrail reports it (a new event each time).
      await ec2
        .send(
          new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [OPEN_22] }),
        )
        .catch((e: Error) => {
          if (e.name !== 'InvalidPermission.Duplicate') throw e; // still open since the trip
        });
      const out = (await handler(
        sqsEvent([sqsRecord(JSON.stringify(eventFor(groupId)))]),
      )) as SQSBatchResponse;
      expect(out.batchItemFailures).toEqual([]);
      statuses.push(reporter.notices.at(-1)!.outcome!.status);
    }
    expect(statuses).toEqual(['reverted', 'reverted', 'escalated', 'suppressed', 'suppressed']);
    expect(reporter.notices.filter((n) => n.outcome?.status === 'escalated')).toHaveLength(1);
    // Held back on purpose: the rule stays until a human acts or the cool-down ends.
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toEqual(['tcp 22-22 0.0.0.0/0']);
    clock += 31 * 60_000;
    await handler(sqsEvent([sqsRecord(JSON.stringify(eventFor(groupId)))]));
    expect(reporter.notices.at(-1)!.outcome!.status).toBe('reverted');
    expect(await ingressRules(ec2, groupId)).toEqual([]);
  });

  it('a remediation denied for good: outcome failed, reported, logged, batch item failure (→ DLQ)', async () => {
    const { handler, reporter, audit } = build();
    const groupId = await seedSecurityGroup(ec2, [OPEN_22]);
    proxy.setRules([
      {
        api: 'ec2:RevokeSecurityGroupIngress',
        rate: 1,
        fault: {
          kind: 'error',
          status: 403,
          code: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation.',
        },
      },
    ]);
    const record = sqsRecord(JSON.stringify(eventFor(groupId)));
    const out = (await handler(sqsEvent([record]))) as SQSBatchResponse;
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(reporter.notices.map((n) => n.outcome?.status)).toEqual(['failed']);
    expect(reporter.notices[0]!.outcome!.error).toMatch(/UnauthorizedOperation/);
    const logged = audit.find((r) => r.audit === 'record-failed');
    expect(logged).toMatchObject({ messageId: record.messageId, errorName: 'EventHandlingError' });
    expect(String(logged!.reason)).toMatch(/sg-no-public-ingress: UnauthorizedOperation/);
    expect((await ingressRules(ec2, groupId)).map((r) => r.text)).toEqual(['tcp 22-22 0.0.0.0/0']);
  });
});
