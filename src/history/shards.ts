import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../aws/clients';
import { TableIo } from '../aws/table-io';
import { documentClient, type TableRef } from '../exceptions/table';
import type { SweepSummary } from '../sweep/model';
import { putKeyChunks } from './store';

/**
 * The shards of a fanned-out sweep in the history table, from which the run is assembled:
 *  - `sweep-shard#<runId>` / `<account>#<region>#p<NNN>`: what one invocation of a shard
 *    found (a partial summary); a shard that resumed from its checkpoint has several parts;
 *  - `sweep-shard#<runId>` / `<account>#<region>#failed`: a shard that failed for good (the
 *    state machine writes it, with the error and cause), beside its dead-letter message;
 *  - `sweep-open#<runId>#<account>#<region>` / `p<NNN>#<chunk>`: the keys it left open,
 *    which the next run's same shard reads to tell drift from known violations.
 */
export interface ShardPart {
  account: string;
  region: string;
  part: number;
  summary: SweepSummary;
}

export interface ShardFailure {
  account: string;
  region: string;
  error: string;
  cause: string;
}

export const shardPartition = (runId: string) => `sweep-shard#${runId}`;
export const shardFailureSortKey = (account: string, region: string) =>
  `${account}#${region}#failed`;
const openPartition = (runId: string, account: string, region: string) =>
  `sweep-open#${runId}#${account}#${region}`;
const partKey = (part: number) => `p${String(part).padStart(3, '0')}`;

export class ShardHistory {
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

  /** One invocation's result: its open keys first, then the part that makes them count. */
  async putPart(part: ShardPart, openKeys: readonly string[]): Promise<void> {
    const { account, region, summary } = part;
    const ttl = this.ttl(summary.startedAt);
    await putKeyChunks(
      this.io,
      openPartition(summary.runId, account, region),
      `${partKey(part.part)}#`,
      openKeys,
      ttl,
    );
    await this.db.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          pk: shardPartition(summary.runId),
          sk: `${account}#${region}#${partKey(part.part)}`,
          ...part,
          ttl,
        },
      }),
    );
  }

  /** A shard that failed for good (the local runner; in AWS the state machine writes it). */
  async putFailure(runId: string, startedAt: string, failure: ShardFailure): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          pk: shardPartition(runId),
          sk: shardFailureSortKey(failure.account, failure.region),
          ...failure,
          ttl: this.ttl(startedAt),
        },
      }),
    );
  }

  /** Every part and failure of a run. */
  async records(runId: string): Promise<{ parts: ShardPart[]; failures: ShardFailure[] }> {
    const items = await this.io.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': shardPartition(runId) },
    });
    const parts: ShardPart[] = [];
    const failures: ShardFailure[] = [];
    for (const item of items) {
      const sk = String(item.sk);
      if (sk.endsWith('#failed')) {
        failures.push({
          account: String(item.account),
          region: String(item.region),
          error: String(item.error ?? 'unknown'),
          cause: String(item.cause ?? ''),
        });
      } else if (item.summary) {
        parts.push({
          account: String(item.account),
          region: String(item.region),
          part: Number(item.part),
          summary: item.summary as SweepSummary,
        });
      }
    }
    return { parts, failures };
  }

  /** The keys a run's shard left open, over all its parts. */
  async openKeys(runId: string, account: string, region: string): Promise<Set<string>> {
    const items = await this.io.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': openPartition(runId, account, region) },
    });
    return new Set(items.flatMap((i) => (i.keys as string[] | undefined) ?? []));
  }
}
