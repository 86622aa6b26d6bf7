import type { Context, SQSBatchResponse } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/reliability';

/**
 * The part of SQS + the Lambda event source mapping the scenarios need, in memory: batches
 * of up to `batchSize` to `concurrency` parallel "Lambda containers", only the reported
 * batch item failures come back (after `redeliveryDelayMs`, the visibility timeout), and a
 * message received `maxReceiveCount` times moves to the DLQ. moto cannot run event source
 * mappings (they need Docker), and this keeps the scenarios deterministic in timing.
 */
export interface QueueOptions {
  batchSize?: number;
  concurrency?: number;
  maxReceiveCount?: number;
  /** Must exceed `invocationMs`: an in-progress idempotency record expires with the invocation. */
  redeliveryDelayMs?: number;
  /** The remaining time each invocation's Lambda context reports. */
  invocationMs?: number;
  /** Hard bound on the whole drain. */
  timeoutMs?: number;
}

export type BatchHandler = (event: unknown, context?: Context) => Promise<unknown>;

interface Message {
  id: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
}

export interface DrainResult {
  delivered: number;
  /** Messages that ended in the DLQ, with their ids. */
  deadLettered: { id: string; body: string }[];
  deleted: number;
  invocations: number;
  /** Handler invocations that threw (the whole batch then counts as failed, as in Lambda). */
  crashes: string[];
  elapsedMs: number;
  messageIds: string[];
}

export class QueueSimulatorError extends Error {
  override readonly name = 'QueueSimulatorError';
}

/**
 * Delivers `bodies` until each is deleted or dead-lettered. `handlers` gives one handler
 * per container (index < concurrency), so containers do not share SDK clients or state.
 */
export async function drain(
  bodies: string[],
  handlerFor: (container: number) => BatchHandler,
  options: QueueOptions = {},
): Promise<DrainResult> {
  const batchSize = options.batchSize ?? 10;
  const concurrency = options.concurrency ?? 4;
  const maxReceiveCount = options.maxReceiveCount ?? 5;
  const redeliveryDelayMs = options.redeliveryDelayMs ?? 1500;
  const invocationMs = options.invocationMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const started = Date.now();
  const queue: Message[] = bodies.map((body) => ({
    id: randomUUID(),
    body,
    receiveCount: 0,
    visibleAt: 0,
  }));
  const messageIds = queue.map((m) => m.id);
  const result: DrainResult = {
    delivered: 0,
    deadLettered: [],
    deleted: 0,
    invocations: 0,
    crashes: [],
    elapsedMs: 0,
    messageIds,
  };
  const inFlight = new Set<string>();

  function receive(): Message[] {
    const now = Date.now();
    const batch: Message[] = [];
    for (const m of queue) {
      if (batch.length >= batchSize) break;
      if (m.visibleAt <= now && !inFlight.has(m.id)) batch.push(m);
    }
    for (const m of batch) {
      inFlight.add(m.id);
      m.receiveCount++;
    }
    return batch;
  }

  function settle(batch: Message[], failed: Set<string>): void {
    for (const m of batch) {
      inFlight.delete(m.id);
      const index = queue.indexOf(m);
      if (!failed.has(m.id)) {
        queue.splice(index, 1);
        result.deleted++;
      } else if (m.receiveCount >= maxReceiveCount) {
        queue.splice(index, 1);
        result.deadLettered.push({ id: m.id, body: m.body });
      } else {
        m.visibleAt = Date.now() + redeliveryDelayMs;
      }
    }
  }

  async function container(index: number): Promise<void> {
    const handler = handlerFor(index);
    while (queue.length > 0) {
      if (Date.now() - started > timeoutMs) {
        throw new QueueSimulatorError(
          `queue not drained within ${timeoutMs} ms (${queue.length} left)`,
        );
      }
      const batch = receive();
      if (batch.length === 0) {
        await new Promise((r) => setTimeout(r, 25));
        continue;
      }
      result.invocations++;
      result.delivered += batch.length;
      const event = sqsEvent(batch.map((m) => sqsRecord(m.body, m.receiveCount, m.id)));
      let failed: Set<string>;
      try {
        const response = (await handler(event, lambdaContext(invocationMs))) as SQSBatchResponse;
        failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      } catch (error) {
        result.crashes.push(String(error));
        failed = new Set(batch.map((m) => m.id));
      }
      settle(batch, failed);
    }
  }

  await Promise.all(Array.from({ length: concurrency }, (_, i) => container(i)));
  result.elapsedMs = Date.now() - started;
  return result;
}
