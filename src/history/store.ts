import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import type { AwsClients } from '../aws/clients';
import { ensureTable } from '../aws/tables';
import type { OutcomeStatus, TriggerEvent } from '../domain';
import { documentClient, type TableRef } from '../exceptions/table';
import { TableIo } from '../aws/table-io';
import type { PolicyOnResource, SweepSummary } from '../sweep/model';

/**
 * The compliance history: one DynamoDB table (`pk`, `sk`, TTL on `ttl`) with
 *  - `sweep` / `<startedAt>#<runId>`: each sweep's summary (counts per policy and account);
 *  - `sweep-open#<runId>` / `<chunk>`: the keys of the violations it left open (drift);
 *  - `outcome#<YYYY-MM-DD>` / `<time>#<eventId>#<policy>#<arn>`: what happened to each
 *    violation (reverted, excepted, notified, failed, ...), with actor and time to revert;
 *  - `digest` / `<generatedAt>`: each digest's headline numbers, for the next one's trend.
 * Day partitions keep every digest query to one Query per day of its period.
 */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';
  constructor(
    message: string,
    readonly table: string,
  ) {
    super(message);
  }
}

export const HISTORY_TABLE = { partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'ttl' } as const;

/** IAM actions the history needs on its table. */
export const HISTORY_TABLE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:Query',
] as const;

export interface OutcomeRecord extends PolicyOnResource {
  /** When Rampart handled it (ISO-8601). */
  time: string;
  /** When the change happened, when known (CloudTrail eventTime). */
  eventTime?: string;
  source: TriggerEvent['source'];
  eventId: string;
  eventName: string;
  status: OutcomeStatus;
  /** Who made the change (principal ARN, else principal id, else identity type). */
  actor?: string;
  timeToRevertMs?: number;
  /** A sweep's revert of drift: open at most this long (since the previous sweep's start). */
  openAtMostMs?: number;
}

/** A digest's headline numbers: the next digest's trend is computed against them. */
export interface DigestRecord {
  generatedAt: string;
  from: string;
  to: string;
  openViolations: number;
  /** Reverts in the digest's period (absent in records written before it was kept). */
  reverted?: number;
  byPolicyAccount: { policy: string; account: string; open: number }[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const KEYS_PER_CHUNK = 1500;
const BATCH_WRITE_ITEMS = 25;
const BATCH_WRITES_AT_ONCE = 4;
const MAX_DAYS_QUERIED = 400;

function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

/** Every UTC day from `from` to `to` inclusive (bounded). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const start = Date.parse(`${dayOf(from)}T00:00:00.000Z`);
  const end = Date.parse(to);
  for (let t = start, i = 0; t <= end && i < MAX_DAYS_QUERIED; t += DAY_MS, i++) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

export class HistoryStore {
  private readonly db: DynamoDBDocumentClient;
  private readonly io: TableIo;

  constructor(
    clients: AwsClients,
    readonly table: TableRef,
    private readonly retentionDays = 400,
  ) {
    this.db = documentClient(clients, table);
    this.io = new TableIo(this.db, table.name);
  }

  private ttl(iso: string): number {
    return Math.floor(Date.parse(iso) / 1000) + this.retentionDays * 86400;
  }

  private outcomeItem(record: OutcomeRecord): Record<string, unknown> {
    return {
      pk: `outcome#${dayOf(record.time)}`,
      sk: `${record.time}#${record.eventId}#${record.policy}#${record.arn}`,
      ...record,
      ttl: this.ttl(record.time),
    };
  }

  async putOutcome(record: OutcomeRecord): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table.name, Item: this.outcomeItem(record) }),
    );
  }

  /**
   * Many outcomes in BatchWriteItem calls of 25 (DynamoDB's limit), a few at once; throws a
   * HistoryError naming how many were not written.
   */
  async putOutcomes(records: readonly OutcomeRecord[]): Promise<void> {
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < records.length; i += BATCH_WRITE_ITEMS) {
      batches.push(records.slice(i, i + BATCH_WRITE_ITEMS).map((r) => this.outcomeItem(r)));
    }
    const limit = pLimit(BATCH_WRITES_AT_ONCE);
    const results = await Promise.allSettled(batches.map((b) => limit(() => this.io.batchPut(b))));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ i, r }] : []));
    if (failed.length > 0) {
      const lost = failed.reduce((n, { i }) => n + batches[i]!.length, 0);
      const first = (failed[0]!.r as PromiseRejectedResult).reason as Error;
      throw new HistoryError(
        `${lost} of ${records.length} outcome(s) not written: ${first.message}`,
        this.table.name,
      );
    }
  }

  /** Outcomes handled in [from, to], oldest first. */
  async outcomesBetween(from: string, to: string): Promise<OutcomeRecord[]> {
    const out: Record<string, unknown>[] = [];
    for (const day of daysBetween(from, to)) {
      const items = await this.io.queryAll({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `outcome#${day}`, ':from': from, ':to': `${to}~` },
      });
      out.push(...items);
    }
    return out.map((i) => strip(i) as unknown as OutcomeRecord);
  }

  /** Keeps a sweep's summary and the keys of the violations it left open. */
  async putSweep(summary: SweepSummary, openKeys: readonly string[]): Promise<void> {
    const ttl = this.ttl(summary.startedAt);
    const chunks = await putKeyChunks(this.io, `sweep-open#${summary.runId}`, '', openKeys, ttl);
    // The summary last: a run is visible only once its open keys are complete.
    await this.db.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          pk: 'sweep',
          sk: `${summary.startedAt}#${summary.runId}`,
          ...summary,
          openChunks: chunks,
          ttl,
        },
      }),
    );
  }

  /** The most recent sweeps, newest first. */
  async latestSweeps(limit: number): Promise<SweepSummary[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'sweep' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => strip(i) as unknown as SweepSummary);
  }

  /** Sweeps that started in [from, to], oldest first. */
  async sweepsBetween(from: string, to: string): Promise<SweepSummary[]> {
    const items = await this.io.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': 'sweep', ':from': from, ':to': `${to}~` },
    });
    return items.map((i) => strip(i) as unknown as SweepSummary);
  }

  async openKeys(runId: string): Promise<Set<string>> {
    const items = await this.io.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `sweep-open#${runId}` },
    });
    return new Set(items.flatMap((i) => (i.keys as string[] | undefined) ?? []));
  }

  async putDigest(record: DigestRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          pk: 'digest',
          sk: record.generatedAt,
          ...record,
          ttl: this.ttl(record.generatedAt),
        },
      }),
    );
  }

  /** The latest sweep that started at or before `at` (the snapshot a digest reports). */
  async latestSweepAt(at: string): Promise<SweepSummary | undefined> {
    const [item] = await this.newest('sweep', 'sk <= :bound', `${at}~`, 1);
    return item as SweepSummary | undefined;
  }

  /** Up to `limit` digests generated before `before`, oldest first (the trend over time). */
  async digestsBefore(before: string, limit: number): Promise<DigestRecord[]> {
    const items = await this.newest('digest', 'sk < :bound', before, limit);
    return (items as unknown as DigestRecord[]).reverse();
  }

  /** Up to `limit` items of a partition whose sort key meets `condition`, newest first. */
  private async newest(
    pk: string,
    condition: 'sk < :bound' | 'sk <= :bound',
    bound: string,
    limit: number,
  ): Promise<Record<string, unknown>[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: `pk = :pk AND ${condition}`,
        ExpressionAttributeValues: { ':pk': pk, ':bound': bound },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(strip);
  }
}

/**
 * Writes keys in chunks of 1,500 (an item stays far below DynamoDB's 400 KB) under one
 * partition, sort keys `<prefix><NNNNNN>`, 25 items a BatchWriteItem; returns the chunk count.
 */
export async function putKeyChunks(
  io: TableIo,
  pk: string,
  skPrefix: string,
  keys: readonly string[],
  ttl: number,
): Promise<number> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_CHUNK) {
    items.push({
      pk,
      sk: `${skPrefix}${String(items.length).padStart(6, '0')}`,
      keys: keys.slice(i, i + KEYS_PER_CHUNK),
      ttl,
    });
  }
  for (let i = 0; i < items.length; i += BATCH_WRITE_ITEMS) {
    await io.batchPut(items.slice(i, i + BATCH_WRITE_ITEMS));
  }
  return items.length;
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const { pk, sk, ttl, openChunks, ...rest } = item;
  void [pk, sk, ttl, openChunks];
  return rest;
}

/** Creates the history table with TTL (tests, the demo and local runs; CDK does it in AWS). */
export function ensureHistoryTable(clients: AwsClients, table: TableRef): Promise<void> {
  return ensureTable(clients, table, HISTORY_TABLE);
}
