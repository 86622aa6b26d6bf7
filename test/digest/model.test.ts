import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients';
import {
  computeDigest,
  digestPeriod,
  digestRecordOf,
  percentile,
  type Digest,
} from '../../src/digest/model';
import { readDigestInputs } from '../../src/digest/source';
import { ExceptionConflictError } from '../../src/exceptions/model';
import { digestText } from '../../src/digest/text';
import { A, B, iso, ref, seedHistory, sweepSummary, type Seeded } from './seed';

const REGION = 'il-central-1'; // this file's own region in the shared moto server
const DAY = 24 * 3600_000;
const sg = 'sg-no-public-ingress';

describe('digest numbers from a seeded audit history (moto)', () => {
  const clients = new AwsClients({ maxAttempts: 2 });
  let seeded: Seeded;
  let digest: Digest;
  beforeAll(async () => {
    const suffix = randomUUID().slice(0, 8);
    seeded = await seedHistory(clients, REGION, {
      history: `digest-history-${suffix}`,
      exceptions: `digest-exceptions-${suffix}`,
    });
    const inputs = await readDigestInputs({
      history: seeded.history,
      exceptions: seeded.exceptions,
      now: iso(seeded.now),
      schedule: 'weekly',
      topActors: 2,
    });
    digest = computeDigest(inputs);
  });
  afterAll(() => clients.destroy());

  it('covers the period since the previous digest and reports the latest sweep before it', () => {
    expect(digest.from).toBe(iso(seeded.now - 7 * DAY));
    expect(digest.to).toBe(iso(seeded.now));
    expect(digest.sweep?.runId).toBe('run-latest');
  });

  it('counts per policy and account: open, reverted, exceptions, time to revert, trend', () => {
    // Derived by hand from seed.ts (see its comment).
    expect(digest.rows).toEqual([
      {
        policy: sg,
        account: A,
        open: 3,
        previousOpen: 4,
        reverted: 4,
        granted: 2,
        denied: 0,
        expiringSoon: 1,
        // samples 1000, 2000, 3000, 10000: p50 = 2nd, p95 = 4th (nearest rank)
        timeToRevert: { samples: 4, p50Ms: 2000, p95Ms: 10_000 },
      },
      {
        policy: 'sqs-has-dlq',
        account: A,
        open: 2,
        previousOpen: 2,
        reverted: 1,
        granted: 1,
        denied: 1,
        expiringSoon: 1,
        timeToRevert: { samples: 1, p50Ms: 60_000, p95Ms: 60_000 },
      },
      {
        policy: sg,
        account: B,
        open: 1,
        previousOpen: 0,
        reverted: 2,
        granted: 0,
        denied: 0,
        expiringSoon: 0,
        timeToRevert: { samples: 1, p50Ms: 5000, p95Ms: 5000 },
      },
      {
        policy: 'lambda-has-dlq',
        account: B,
        open: 0,
        previousOpen: 0,
        reverted: 0,
        granted: 1,
        denied: 0,
        expiringSoon: 0,
        timeToRevert: { samples: 0 },
      },
      {
        policy: 'rds-encrypted',
        account: B,
        open: 0,
        previousOpen: 1,
        reverted: 0,
        granted: 0,
        denied: 0,
        expiringSoon: 0,
        timeToRevert: { samples: 0 },
      },
    ]);
  });

  it('totals, top actors, expiring exceptions and the trend', () => {
    expect(digest.totals).toEqual({
      open: 6,
      previousOpen: 7,
      previousDigestAt: iso(seeded.now - 7 * DAY),
      reverted: 7,
      granted: 4,
      denied: 1,
      expiringSoon: 2,
      // all samples: 1000, 2000, 3000, 5000, 10000, 60000 → p50 = 3rd, p95 = 6th
      timeToRevert: { samples: 6, p50Ms: 3000, p95Ms: 60_000 },
      sweepOpenAtMost: { samples: 1, p50Ms: 7_200_000, p95Ms: 7_200_000 },
    });
    // alice: three sg/A changes plus one sqs/A change seen twice (awaiting, then reverted)
    expect(digest.topActors).toEqual([
      { actor: 'arn:aws:sts::111111111111:assumed-role/Developer/alice', violations: 4 },
      { actor: 'arn:aws:iam::111111111111:user/bob', violations: 2 },
    ]);
    expect(digest.expiring.map((e) => [e.policy, e.account, e.expiresAt])).toEqual([
      ['sqs-has-dlq', A, iso(seeded.now + 6 * 3600_000)],
      [sg, A, iso(seeded.now + 3 * DAY)],
    ]);
    expect(digest.trend).toEqual([
      { at: iso(seeded.now - 14 * DAY), open: 9, reverted: 3 },
      { at: iso(seeded.now - 7 * DAY), open: 7 },
      { at: iso(seeded.now), open: 6, reverted: 7 },
    ]);
  });

  it('stores a record the next digest trends against', async () => {
    const record = digestRecordOf(digest);
    expect(record.byPolicyAccount).toEqual([
      { policy: sg, account: A, open: 3 },
      { policy: 'sqs-has-dlq', account: A, open: 2 },
      { policy: sg, account: B, open: 1 },
    ]);
    await seeded.history.putDigest(record);
    const next = await readDigestInputs({
      history: seeded.history,
      exceptions: seeded.exceptions,
      now: iso(seeded.now + DAY),
      schedule: 'weekly',
      topActors: 2,
    });
    expect(next.from).toBe(iso(seeded.now));
    expect(next.pastDigests.at(-1)).toEqual(record);
    expect(computeDigest(next).totals.previousOpen).toBe(6);
  });

  it('denies a request once: a second denial or an unknown request is a conflict', async () => {
    const resource = ref('AWS::SQS::Queue', 'q-twice', A, REGION);
    const request = await seeded.exceptions.createRequest({
      policyId: 'sqs-has-dlq',
      resource,
      scope: { kind: 'resource', arn: resource.arn },
      requester: { slackUserId: 'UREQ' },
      justification: 'denied twice in a test',
      days: 1,
      now: seeded.now + 2 * DAY,
    });
    const denied = await seeded.exceptions.denyRequest(request.id, 'UAPP', seeded.now + 2 * DAY);
    expect(denied).toMatchObject({ id: request.id, status: 'denied', decidedBy: 'UAPP' });
    await expect(seeded.exceptions.denyRequest(request.id, 'UOTHER')).rejects.toThrow(
      ExceptionConflictError,
    );
    await expect(seeded.exceptions.denyRequest('req-nope', 'UAPP')).rejects.toThrow(
      /request req-nope is not pending/,
    );
    const decisions = await seeded.exceptions.decisionsBetween(
      iso(seeded.now + 2 * DAY - 1),
      iso(seeded.now + 3 * DAY),
    );
    expect(decisions.map((d) => [d.decision, d.id, d.by])).toEqual([
      ['denied', request.id, 'UAPP'],
    ]);
  });

  it('keeps the denial of a request as a decision', async () => {
    const decisions = await seeded.exceptions.decisionsBetween(
      iso(seeded.now - 7 * DAY),
      iso(seeded.now),
    );
    expect(decisions.map((d) => [d.decision, d.policyId, d.account, d.by])).toEqual([
      ['granted', sg, A, 'UAPP'],
      ['granted', sg, A, 'UAPP'],
      ['denied', 'sqs-has-dlq', A, 'UAPP'],
      ['granted', 'lambda-has-dlq', B, 'UAPP'],
      ['granted', 'sqs-has-dlq', A, 'UAPP'],
    ]);
  });
});

describe('digest period and percentiles', () => {
  const now = '2026-03-16T06:00:00.000Z';
  it('runs from the previous digest, else one schedule period back', () => {
    expect(digestPeriod(now, 'weekly')).toEqual({ from: '2026-03-09T06:00:00.000Z', to: now });
    expect(digestPeriod(now, 'daily')).toEqual({ from: '2026-03-15T06:00:00.000Z', to: now });
    expect(digestPeriod(now, 'daily', { generatedAt: '2026-03-15T18:30:00.000Z' })).toEqual({
      from: '2026-03-15T18:30:00.000Z',
      to: now,
    });
    // a previous digest older than two periods does not stretch the period
    expect(digestPeriod(now, 'daily', { generatedAt: '2026-03-10T06:00:00.000Z' }).from).toBe(
      '2026-03-15T06:00:00.000Z',
    );
    expect(() => digestPeriod('yesterday', 'daily')).toThrow(/now "yesterday" is not a date/);
  });

  it('nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([7], 95)).toBe(7);
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 95)).toBe(10);
    expect(percentile(ten, 90)).toBe(9);
  });
});

describe('the digest lists the accounts still in their grace period', () => {
  const now = '2026-03-16T06:00:00.000Z';
  const t = Date.parse(now);
  const inputs = (grace: { account: string; until: string }[]) => ({
    generatedAt: now,
    from: '2026-03-09T06:00:00.000Z',
    to: now,
    schedule: 'weekly' as const,
    sweep: {
      ...sweepSummary('run-1', t - DAY, [{ policy: sg, account: A, violations: 2 }]),
      grace,
    },
    outcomes: [],
    decisions: [],
    activeExceptions: [],
    pastDigests: [],
    topActors: 5,
  });
  it('those whose grace ends after the digest, soonest first; one ended already is left out', () => {
    const digest = computeDigest(
      inputs([
        { account: B, until: iso(t + 5 * DAY) },
        { account: A, until: iso(t + 2 * DAY) },
        { account: '333333333333', until: iso(t - DAY) },
      ]),
    );
    expect(digest.grace).toEqual([
      { account: A, until: iso(t + 2 * DAY) },
      { account: B, until: iso(t + 5 * DAY) },
    ]);
    const text = digestText(digest, { maxRows: 10 });
    expect(text).toContain(
      `Accounts in their grace period (notify only):\n  ${A} until ${iso(t + 2 * DAY)}\n  ${B} until`,
    );
    expect(text).not.toContain('333333333333');
  });
  it('none: the section says so', () => {
    expect(digestText(computeDigest(inputs([])))).toContain(
      'Accounts in their grace period (notify only):\n  (none)',
    );
  });
});
