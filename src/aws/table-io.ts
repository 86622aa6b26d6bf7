import {
  BatchGetCommand,
  BatchWriteCommand,
  paginateQuery,
  paginateScan,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';

/**
 * Rampart's reads and writes of its own DynamoDB tables that span pages or batches: the
 * library's paginators, and retries of what DynamoDB leaves unprocessed under throttling.
 * A partial result is an error, never a shorter answer: an exception missed because a
 * batch came back half-read would let the resource be reverted anyway.
 */
export class PartialTableReadError extends Error {
  override readonly name = 'PartialTableReadError';
  constructor(
    message: string,
    readonly table: string,
  ) {
    super(`${table}: ${message}`);
  }
}

export interface TableIoLimits {
  /** Pages one scan or query may read before it is refused as unbounded. */
  maxPages: number;
  /** Attempts of one batch (the first plus retries of unprocessed keys or items). */
  maxBatchAttempts: number;
  /** First pause between batch attempts; doubles each time. */
  retryBaseMs: number;
}

export const DEFAULT_TABLE_IO_LIMITS: TableIoLimits = {
  maxPages: 1_000,
  maxBatchAttempts: 6,
  retryBaseMs: 25,
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TableIo {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly table: string,
    private readonly limits: TableIoLimits = DEFAULT_TABLE_IO_LIMITS,
  ) {}

  /** Every item of the keys (≤ 100, BatchGetItem's limit), unprocessed keys retried. */
  async batchGet(
    keys: readonly Record<string, unknown>[],
    options: { consistentRead?: boolean } = {},
  ): Promise<Record<string, unknown>[]> {
    if (keys.length > 100) {
      throw new PartialTableReadError(
        `${keys.length} keys in one BatchGetItem (at most 100)`,
        this.table,
      );
    }
    const items: Record<string, unknown>[] = [];
    let pending = [...keys];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= this.limits.maxBatchAttempts) {
        throw new PartialTableReadError(
          `${pending.length} key(s) still unprocessed after ${attempt} BatchGetItem attempts`,
          this.table,
        );
      }
      if (attempt > 0) await pause(this.limits.retryBaseMs * 2 ** (attempt - 1));
      const out = await this.db.send(
        new BatchGetCommand({
          RequestItems: {
            [this.table]: { Keys: pending, ConsistentRead: options.consistentRead ?? true },
          },
        }),
      );
      items.push(...(out.Responses?.[this.table] ?? []));
      pending = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
    }
    return items;
  }

  /** Writes every put (≤ 25), unprocessed items retried. */
  async batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
    let pending = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= this.limits.maxBatchAttempts) {
        throw new PartialTableReadError(
          `${pending.length} item(s) still unprocessed after ${attempt} BatchWriteItem attempts`,
          this.table,
        );
      }
      if (attempt > 0) await pause(this.limits.retryBaseMs * 2 ** (attempt - 1));
      const out = await this.db.send(
        new BatchWriteCommand({ RequestItems: { [this.table]: pending } }),
      );
      pending = (out.UnprocessedItems?.[this.table] ?? []) as typeof pending;
    }
  }

  scanAll(input: Omit<ScanCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    return this.collect(
      'Scan',
      paginateScan({ client: this.db }, { ...input, TableName: this.table }),
    );
  }

  queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    return this.collect(
      'Query',
      paginateQuery({ client: this.db }, { ...input, TableName: this.table }),
    );
  }

  private async collect(
    what: string,
    pages: AsyncIterable<{ Items?: Record<string, unknown>[] }>,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let count = 0;
    for await (const page of pages) {
      if (++count > this.limits.maxPages) {
        throw new PartialTableReadError(
          `${what} has more than ${this.limits.maxPages} pages; refusing a partial answer`,
          this.table,
        );
      }
      items.push(...(page.Items ?? []));
    }
    return items;
  }
}
