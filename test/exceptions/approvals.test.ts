import { DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AuditLog, createLogger, type AuditRecord } from '../../src/audit';
import { AwsClients } from '../../src/aws/clients';
import { parseConfig } from '../../src/config';
import type { ResourceRef } from '../../src/domain';
import { Catalog } from '../../src/engine/catalog';
import {
  definePolicy,
  defineRemediator,
  defineResourceType,
  type Snapshot,
} from '../../src/engine/definitions';
import { Evaluator, type EventResult } from '../../src/engine/evaluator';
import { MalformedEventError } from '../../src/events/errors';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  SchedulerDeadlines,
  approvalDeadlineEvent,
  type ApprovalDeadlines,
} from '../../src/exceptions/deadline';
import { ExceptionScopeError } from '../../src/exceptions/model';
import { ExceptionStore, tagsOf } from '../../src/exceptions/store';
import { ensureExceptionsTable } from '../../src/exceptions/table';
import { testTypeDeclarations } from '../support/test-type';

const REGION = 'ap-northeast-2';
const ACCOUNT = '123456789012';

/** An in-memory tagged resource type, so exceptions are tested on any snapshot with `tags`. */
interface BucketSnapshot extends Snapshot {
  type: 'Test::Bucket';
  public: boolean;
  tags: Record<string, string>;
}
const buckets = new Map<string, { public: boolean; tags: Record<string, string> }>();
const refOf = (id: string, account = ACCOUNT): ResourceRef => ({
  partition: 'aws',
  account,
  region: REGION,
  type: 'Test::Bucket',
  id,
  arn: `arn:aws:test:${REGION}:${account}:bucket/${id}`,
});
const catalog = new Catalog({
  resourceTypes: [
    defineResourceType<BucketSnapshot>({
      type: 'Test::Bucket',
      eventSource: 'buckets.amazonaws.com',
      ...testTypeDeclarations('test'),
      cloudTrail: {
        OpenBucket: (r, where) => [
          {
            type: 'Test::Bucket',
            ...where,
            id: String((r.requestParameters as { id: string }).id),
          },
        ],
      },
      readActions: ['test:GetBucket'],
      async collect(_c, loc) {
        const b = buckets.get(loc.id!);
        return b && { type: 'Test::Bucket', ref: refOf(loc.id!, loc.account), ...b };
      },
    }),
  ],
  policies: [
    definePolicy<BucketSnapshot, Record<string, never>>({
      id: 'bucket-private',
      title: 'Buckets are private',
      description: 'd',
      rationale: 'r',
      severity: 'high',
      pillar: 'security',
      controls: [{ framework: 'aws-well-architected', id: 'SEC01-BP01' }],
      resourceType: 'Test::Bucket',
      triggers: ['OpenBucket'],
      defaultMode: 'approve',
      parameters: z.strictObject({}),
      remediatorId: 'close-bucket',
      evaluate: (s) =>
        s.public
          ? {
              compliant: false,
              finding: { message: 'public', elements: [{ kind: 'acl', description: 'public' }] },
            }
          : { compliant: true },
    }),
  ],
  remediators: [
    defineRemediator<BucketSnapshot>({
      id: 'close-bucket',
      description: 'makes it private',
      resourceType: 'Test::Bucket',
      iamActions: { read: [], write: ['test:PutBucketAcl'] },
      async remediate({ snapshot }) {
        buckets.get(snapshot.ref.id)!.public = false;
        return {
          status: 'reverted',
          changes: ['made private'],
          before: { public: true },
          after: { public: false },
        };
      },
    }),
  ],
});

/** As the bus delivers it: an EventBridge envelope from AWS (`aws.*` source). */
const openEvent = (id: string) => ({
  id: randomUUID(),
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.buckets',
  detail: {
    eventID: randomUUID(),
    eventName: 'OpenBucket',
    eventSource: 'buckets.amazonaws.com',
    eventTime: new Date().toISOString(),
    awsRegion: REGION,
    recipientAccountId: ACCOUNT,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/bob` },
    requestParameters: { id },
  },
});

function statusOf(result: EventResult) {
  if (result.status !== 'handled') throw new Error(JSON.stringify(result));
  return {
    decision: result.resources[0]!.decisions[0],
    outcome: result.resources[0]!.outcomes[0]!,
  };
}

describe('exceptions and approval deadlines in the engine (moto DynamoDB)', () => {
  const clients = new AwsClients({ maxAttempts: 2 });
  const table = { name: `rampart-exc-${randomUUID().slice(0, 8)}`, region: REGION };
  const store = new ExceptionStore(clients, table);
  const scheduled: Parameters<ApprovalDeadlines['schedule']>[0][] = [];
  const approvals: ApprovalDeadlines = {
    async schedule(request) {
      scheduled.push(request);
      return new Date(request.now + 15 * 60_000).toISOString();
    },
    async cancel() {},
  };
  const records: AuditRecord[] = [];
  let now = Date.now();
  const evaluator = (
    extra: {
      approvals?: ApprovalDeadlines;
      exceptions?: ExceptionStore | { find(): Promise<never> };
    } = {},
  ) => {
    const audit = new AuditLog(createLogger());
    audit.subscribe((r) => records.push(r));
    return new Evaluator({
      catalog,
      config: parseConfig({}, catalog),
      clients,
      audit,
      exceptions: store,
      approvals,
      now: () => now,
      ...extra,
    });
  };

  beforeAll(async () => {
    await ensureExceptionsTable(clients, table);
  });
  afterAll(() => clients.destroy());

  it('creates the table with TTL on `ttl`', async () => {
    const ttl = await clients
      .get(DynamoDBClient, { region: REGION })
      .send(new DescribeTimeToLiveCommand({ TableName: table.name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'ttl',
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('a tag-scoped exception covers every tagged resource of the account until it expires, with no job', async () => {
    buckets.set('b-tagged', { public: true, tags: { purpose: 'public-website' } });
    buckets.set('b-untagged', { public: true, tags: {} });
    now = Date.now();
    const exception = await store.grant(
      {
        policyId: 'bucket-private',
        resource: refOf('b-tagged'),
        scope: { kind: 'tag', account: ACCOUNT, key: 'purpose', value: 'public-website' },
        requester: { slackUserId: 'UREQ' },
        approver: 'UAPP',
        justification: 'Static website buckets are public by design',
        days: 1,
      },
      now,
    );
    const e = evaluator();
    expect(statusOf(await e.handleEvent(openEvent('b-tagged'))).decision).toMatchObject({
      action: 'excepted',
      exceptionId: exception.id,
    });
    expect(buckets.get('b-tagged')!.public).toBe(true);
    expect(statusOf(await e.handleEvent(openEvent('b-untagged'))).outcome.status).toBe(
      'awaiting-approval',
    );

    // One day and a second later the same exception no longer applies, though the item is still there.
    now += 86_400_000 + 1000;
    expect(statusOf(await e.handleEvent(openEvent('b-tagged'))).outcome.status).toBe(
      'awaiting-approval',
    );
    expect(await store.listActive(now)).toEqual([]);
  });

  it('refuses wildcard scopes and scopes in another account than the resource', async () => {
    const base = {
      policyId: 'bucket-private',
      resource: refOf('b1'),
      requester: { slackUserId: 'U1' },
      approver: 'U2',
      justification: 'a long enough reason',
      days: 7 as const,
    };
    await expect(
      store.grant({ ...base, scope: { kind: 'resource', arn: '*' } }, Date.now()),
    ).rejects.toThrow(ExceptionScopeError);
    await expect(
      store.grant(
        { ...base, scope: { kind: 'tag', account: ACCOUNT, key: 'team', value: '*' } },
        Date.now(),
      ),
    ).rejects.toThrow(/wildcards/);
    await expect(
      store.grant(
        { ...base, scope: { kind: 'resource', arn: refOf('b1', '210987654321').arn } },
        Date.now(),
      ),
    ).rejects.toThrow(/account 210987654321 is not the resource's account 123456789012/);
    await expect(
      store.grant(
        { ...base, scope: { kind: 'tag', account: '210987654321', key: 'team', value: 'x' } },
        Date.now(),
      ),
    ).rejects.toThrow(ExceptionScopeError);
    await expect(
      store.grant(
        { ...base, approver: 'U1', scope: { kind: 'resource', arn: refOf('b1').arn } },
        Date.now(),
      ),
    ).rejects.toThrow(/own request/);
    await expect(
      store.grant(
        { ...base, justification: ' ', scope: { kind: 'resource', arn: refOf('b1').arn } },
        Date.now(),
      ),
    ).rejects.toThrow(/justification is required/);
  });

  it('mode approve: schedules a deadline; the deadline event reverts; a disabled policy skips it', async () => {
    buckets.set('b-late', { public: true, tags: {} });
    now = Date.now();
    scheduled.length = 0;
    const e = evaluator();
    const first = statusOf(await e.handleEvent(openEvent('b-late')));
    expect(first.decision).toMatchObject({ action: 'await-approval' });
    expect(scheduled).toHaveLength(1);
    const { approvalId, policyId, resource, trigger } = scheduled[0]!;
    const event = approvalDeadlineEvent({
      approvalId,
      policyId,
      resource,
      trigger,
      deadline: first.outcome.approvalDeadline!,
      reason: 'deadline',
    });
    const later = statusOf(await e.handleEvent(JSON.parse(JSON.stringify(event))));
    expect(later.decision).toMatchObject({
      action: 'remediate',
      reason: 'approval deadline passed without an exception',
    });
    expect(later.outcome.status).toBe('reverted');
    expect(buckets.get('b-late')!.public).toBe(false);

    const disabled = new Evaluator({
      catalog,
      config: parseConfig({ policies: { 'bucket-private': { enabled: false } } }, catalog),
      clients,
      audit: new AuditLog(createLogger()),
    });
    expect(await disabled.handleEvent(event)).toMatchObject({
      status: 'skipped',
      code: 'policy-gone',
    });
  });

  it('without a deadline scheduler, approve reverts at once (never leaves a violation unwatched)', async () => {
    buckets.set('b-now', { public: true, tags: {} });
    const { decision, outcome } = statusOf(
      await evaluator({ approvals: undefined }).handleEvent(openEvent('b-now')),
    );
    expect(decision!.reason).toContain('no deadline scheduler is configured');
    expect(outcome.status).toBe('reverted');
  });

  it('unreadable exceptions: neither revert nor pass; the outcome fails and is retried', async () => {
    buckets.set('b-unknown', { public: true, tags: {} });
    const broken = {
      find: () => Promise.reject(new Error('ProvisionedThroughputExceededException: slow down')),
    };
    const { outcome } = statusOf(
      await evaluator({ exceptions: broken }).handleEvent(openEvent('b-unknown')),
    );
    expect(outcome).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('cannot read exceptions'),
    });
    expect(buckets.get('b-unknown')!.public).toBe(true);
  });

  it('a malformed deadline event is refused naming the field', async () => {
    const bad = {
      'detail-type': 'Rampart Approval Deadline',
      source: 'rampart.approvals',
      detail: { approvalId: 'x', reason: 'later' },
    };
    await expect(evaluator().handleEvent(bad)).rejects.toThrow(MalformedEventError);
    await expect(evaluator().handleEvent(bad)).rejects.toThrow(/detail\.policyId/);
  });

  it('schedules the deadline next to its target, once per approval, and cancels it', async () => {
    const deadlines = new SchedulerDeadlines(clients, {
      targetArn: 'arn:aws:lambda:us-east-2:123456789012:function:rampart-evaluator',
      roleArn: 'arn:aws:iam::123456789012:role/RampartSchedulerRole',
      deadlineMinutes: 30,
    });
    const approvalId = randomUUID().replace(/-/g, '').slice(0, 24);
    const request = {
      approvalId,
      policyId: 'bucket-private',
      resource: refOf('b-sched'),
      trigger: {
        source: 'cloudtrail' as const,
        eventId: 'e',
        eventName: 'OpenBucket',
        eventSource: 'buckets.amazonaws.com',
        ...testTypeDeclarations('test'),
        eventTime: new Date().toISOString(),
      },
      now: Date.parse('2026-11-23T10:00:00.000Z'),
    };
    expect(await deadlines.schedule(request)).toBe('2026-11-23T10:30:00.000Z');
    expect(await deadlines.schedule(request)).toBe('2026-11-23T10:30:00.000Z'); // redelivered event
    const scheduler = clients.get(SchedulerClient, { region: 'us-east-2' });
    const name = SchedulerDeadlines.scheduleName(approvalId);
    const stored = await scheduler.send(new GetScheduleCommand({ Name: name }));
    expect(stored).toMatchObject({
      ScheduleExpression: 'at(2026-11-23T10:30:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    await deadlines.cancel(approvalId, REGION);
    await expect(scheduler.send(new GetScheduleCommand({ Name: name }))).rejects.toThrow();
    await deadlines.cancel(approvalId, REGION); // already gone: fine
  });

  it('reads tags kept as a map or as the API list', () => {
    const ref = refOf('t');
    expect(tagsOf({ type: 'x', ref, tags: { a: '1' } } as Snapshot)).toEqual({ a: '1' });
    expect(
      tagsOf({ type: 'x', ref, tags: [{ Key: 'a', Value: '1' }, { Key: 'b' }] } as Snapshot),
    ).toEqual({ a: '1', b: '' });
    expect(tagsOf({ type: 'x', ref } as Snapshot)).toEqual({});
  });
});
