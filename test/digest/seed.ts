import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../src/aws/clients';
import type { ResourceRef } from '../../src/domain';
import type { ExceptionDurationDays } from '../../src/exceptions/model';
import { ExceptionStore } from '../../src/exceptions/store';
import { ensureExceptionsTable } from '../../src/exceptions/table';
import { HistoryStore, ensureHistoryTable, type OutcomeRecord } from '../../src/history/store';
import type { PolicyAccountCounts, SweepSummary } from '../../src/sweep/model';

export const A = '111111111111';
export const B = '222222222222';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * The digest's "now": today at 06:00 UTC, so TTLs computed from the seed lie in the future
 * (the seed is relative to it; every expected number in the tests is too).
 */
export function digestNow(): number {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 6);
}
export const iso = (t: number) => new Date(t).toISOString();

export function ref(policyType: string, id: string, account: string, region: string): ResourceRef {
  return {
    partition: 'aws',
    account,
    region,
    type: policyType,
    id,
    arn: `arn:aws:ec2:${region}:${account}:security-group/${id}`,
  };
}

export function sweepSummary(
  runId: string,
  startedAt: number,
  counts: Pick<PolicyAccountCounts, 'policy' | 'account' | 'violations'>[],
): SweepSummary {
  const byPolicyAccount = counts.map((c) => ({
    ...c,
    resources: c.violations + 1,
    compliant: 1,
    notApplicable: 0,
    excepted: 0,
    reverted: 0,
    failed: 0,
    drift: 0,
  }));
  const violations = counts.reduce((n, c) => n + c.violations, 0);
  return {
    runId,
    startedAt: iso(startedAt),
    finishedAt: iso(startedAt + 60_000),
    durationMs: 60_000,
    accounts: [A, B],
    regions: ['il-central-1'],
    source: 'describe',
    remediate: false,
    resources: byPolicyAccount.reduce((n, c) => n + c.resources, 0),
    evaluations: byPolicyAccount.reduce((n, c) => n + c.resources, 0),
    compliant: counts.length,
    notApplicable: 0,
    violations,
    excepted: 0,
    reverted: 0,
    failed: 0,
    drift: 0,
    errors: [],
    byPolicyAccount,
  };
}

export function outcome(
  t: number,
  fields: Partial<OutcomeRecord> & Pick<OutcomeRecord, 'policy' | 'account' | 'status'>,
  region: string,
): OutcomeRecord {
  const resourceId = fields.resourceId ?? `sg-${Math.floor(t / 1000).toString(16)}`;
  return {
    time: iso(t),
    source: 'cloudtrail',
    eventId: fields.eventId ?? `evt-${t}`,
    eventName: 'AuthorizeSecurityGroupIngress',
    resourceType: 'AWS::EC2::SecurityGroup',
    resourceId,
    arn: `arn:aws:ec2:${region}:${fields.account}:security-group/${resourceId}`,
    region,
    ...fields,
  };
}

export interface Seeded {
  history: HistoryStore;
  exceptions: ExceptionStore;
  now: number;
}

/**
 * The audit history the digest tests read (T = now, weekly schedule):
 * - digests at T−14d (open 9, reverted 3) and T−7d (open 7: sg/A 4, sqs/A 2, rds/B 1);
 * - sweeps at T−6d (sg/A 7), T−1h (sg/A 3, sg/B 1, sqs/A 2, lambda/B 0) and T+1h (sg/A 9);
 * - outcomes in (T−7d, T]: sg/A reverted ×4 (alice 1 s, alice 3 s, alice 2 s, bob 10 s),
 *   sg/B reverted (bob 5 s) and by the sweep (no actor, no time), sqs/A notified (carol),
 *   sqs/A awaiting approval then reverted on approval (alice, same event, 60 s);
 *   before the period: sg/A reverted by dave at T−7d−1ms;
 * - exceptions: sg/A granted T−6d (1 day, expired) and T−4d (7 days, expires T+3d),
 *   sqs/A granted T−18h (1 day, expires T+6h), sqs/A denied T−3d, lambda/B tag-scoped
 *   granted T−2d (30 days); sg/A granted T−20d (30 days, before the period).
 */
export async function seedHistory(
  clients: AwsClients,
  region: string,
  names: { history: string; exceptions: string },
): Promise<Seeded> {
  const T = digestNow();
  await ensureHistoryTable(clients, { name: names.history, region });
  await ensureExceptionsTable(clients, { name: names.exceptions, region });
  const history = new HistoryStore(clients, { name: names.history, region });
  let n = 0;
  const exceptions = new ExceptionStore(
    clients,
    { name: names.exceptions, region },
    () => `x${String(n++).padStart(4, '0')}`,
  );

  await history.putDigest({
    generatedAt: iso(T - 14 * DAY),
    from: iso(T - 21 * DAY),
    to: iso(T - 14 * DAY),
    openViolations: 9,
    reverted: 3,
    byPolicyAccount: [{ policy: 'sg-no-public-ingress', account: A, open: 9 }],
  });
  await history.putDigest({
    generatedAt: iso(T - 7 * DAY),
    from: iso(T - 14 * DAY),
    to: iso(T - 7 * DAY),
    openViolations: 7,
    byPolicyAccount: [
      { policy: 'sg-no-public-ingress', account: A, open: 4 },
      { policy: 'sqs-has-dlq', account: A, open: 2 },
      { policy: 'rds-encrypted', account: B, open: 1 },
    ],
  });

  await history.putSweep(
    sweepSummary('run-old', T - 6 * DAY, [
      { policy: 'sg-no-public-ingress', account: A, violations: 7 },
    ]),
    [],
  );
  await history.putSweep(
    sweepSummary('run-latest', T - HOUR, [
      { policy: 'sg-no-public-ingress', account: A, violations: 3 },
      { policy: 'sg-no-public-ingress', account: B, violations: 1 },
      { policy: 'sqs-has-dlq', account: A, violations: 2 },
      { policy: 'lambda-has-dlq', account: B, violations: 0 },
    ]),
    ['sg-no-public-ingress|arn:1', 'sg-no-public-ingress|arn:2'],
  );
  await history.putSweep(
    sweepSummary('run-after', T + HOUR, [
      { policy: 'sg-no-public-ingress', account: A, violations: 9 },
    ]),
    [],
  );

  const sg = 'sg-no-public-ingress';
  const alice = 'arn:aws:sts::111111111111:assumed-role/Developer/alice';
  const bob = 'arn:aws:iam::111111111111:user/bob';
  const carol = 'arn:aws:iam::111111111111:user/carol';
  const dave = 'arn:aws:iam::111111111111:user/dave';
  const outcomes: OutcomeRecord[] = [
    outcome(
      T - 7 * DAY - 1,
      { policy: sg, account: A, status: 'reverted', actor: dave, timeToRevertMs: 1 },
      region,
    ),
    outcome(
      T - 6 * DAY,
      { policy: sg, account: A, status: 'reverted', actor: alice, timeToRevertMs: 1000 },
      region,
    ),
    outcome(
      T - 5 * DAY,
      { policy: sg, account: A, status: 'reverted', actor: alice, timeToRevertMs: 3000 },
      region,
    ),
    outcome(
      T - 4 * DAY,
      { policy: sg, account: A, status: 'reverted', actor: alice, timeToRevertMs: 2000 },
      region,
    ),
    outcome(
      T - 3 * DAY,
      { policy: sg, account: A, status: 'reverted', actor: bob, timeToRevertMs: 10_000 },
      region,
    ),
    outcome(
      T - 2 * DAY,
      { policy: sg, account: B, status: 'reverted', actor: bob, timeToRevertMs: 5000 },
      region,
    ),
    outcome(
      T - 2 * DAY + HOUR,
      {
        policy: sg,
        account: B,
        status: 'reverted',
        source: 'sweep',
        eventName: 'Sweep',
        // Records written before sweeps were measured apart carried a time to revert from the
        // sweep's own start: it must not count as one.
        timeToRevertMs: 4,
        openAtMostMs: 7_200_000,
      },
      region,
    ),
    outcome(
      T - DAY,
      { policy: 'sqs-has-dlq', account: A, status: 'notified', actor: carol },
      region,
    ),
    outcome(
      T - 30 * 60_000,
      {
        policy: 'sqs-has-dlq',
        account: A,
        status: 'awaiting-approval',
        actor: alice,
        eventId: 'e9',
        resourceId: 'q9',
      },
      region,
    ),
    outcome(
      T - 10 * 60_000,
      {
        policy: 'sqs-has-dlq',
        account: A,
        status: 'reverted',
        actor: alice,
        eventId: 'e9',
        resourceId: 'q9',
        source: 'approval',
        timeToRevertMs: 60_000,
      },
      region,
    ),
    // after the digest: not in it
    outcome(
      T + 60_000,
      { policy: sg, account: A, status: 'reverted', actor: carol, timeToRevertMs: 7 },
      region,
    ),
  ];
  for (const o of outcomes) await history.putOutcome(o);

  const grant = (
    policyId: string,
    account: string,
    id: string,
    at: number,
    days: ExceptionDurationDays,
    scope?: { kind: 'tag'; account: string; key: string; value: string },
  ) => {
    const resource = ref('AWS::EC2::SecurityGroup', id, account, region);
    return exceptions.grant(
      {
        policyId,
        resource,
        scope: scope ?? { kind: 'resource', arn: resource.arn },
        requester: { slackUserId: 'UREQ' },
        approver: 'UAPP',
        justification: 'seeded for the digest tests',
        days,
      },
      at,
    );
  };
  await grant(sg, A, 'sg-before', T - 20 * DAY, 30);
  await grant(sg, A, 'sg-short', T - 6 * DAY, 1);
  await grant(sg, A, 'sg-week', T - 4 * DAY, 7);
  await grant('sqs-has-dlq', A, 'q-day', T - 18 * HOUR, 1);
  await grant('lambda-has-dlq', B, 'fn-tagged', T - 2 * DAY, 30, {
    kind: 'tag',
    account: B,
    key: 'team',
    value: 'batch',
  });
  const request = await exceptions.createRequest({
    policyId: 'sqs-has-dlq',
    resource: ref('AWS::SQS::Queue', 'q-denied', A, region),
    scope: { kind: 'resource', arn: ref('AWS::SQS::Queue', 'q-denied', A, region).arn },
    requester: { slackUserId: 'UREQ' },
    justification: 'seeded for the digest tests',
    days: 7,
    now: T - 3 * DAY - HOUR,
  });
  await exceptions.denyRequest(request.id, 'UAPP', T - 3 * DAY);
  return { history, exceptions, now: T };
}

/**
 * An SNS topic with an SQS queue subscribed (standing for an e-mail subscriber); `receive`
 * returns the next SNS envelope delivered to it (Subject, Message).
 */
export async function topicWithQueue(region: string, name: string) {
  const sqs = new SQSClient({ region });
  const sns = new SNSClient({ region });
  try {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: attrs.Attributes!.QueueArn,
      }),
    );
    return {
      topicArn,
      async receive(): Promise<{ Subject: string; Message: string }> {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 1,
            WaitTimeSeconds: 2,
          }),
        );
        return JSON.parse(out.Messages![0]!.Body!) as { Subject: string; Message: string };
      },
      destroy: () => sqs.destroy(),
    };
  } finally {
    sns.destroy();
  }
}
