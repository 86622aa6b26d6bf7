import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createRampart, type Rampart } from '../app';
import { needsRetry, type EventResult, type Intake } from '../engine/evaluator';
import { errorMessage } from '../errors';
import { MalformedEventError } from '../events/errors';
import { idempotencyFor } from '../reliability/wiring';
import { trackCalls } from '../aws/calls';

/** The event was understood but could not be fully handled; retrying may succeed. */
export class EventHandlingError extends Error {
  override readonly name = 'EventHandlingError';
  constructor(
    message: string,
    readonly eventId?: string,
  ) {
    super(message);
  }
}

/** A record was not handled before its deadline; names the AWS calls it was waiting for. */
export class RecordTimeoutError extends Error {
  override readonly name = 'RecordTimeoutError';
  constructor(
    readonly deadlineMs: number,
    readonly callsInFlight: string[],
  ) {
    super(
      `not handled within ${deadlineMs} ms (the record's share of the function timeout); ${
        callsInFlight.length > 0
          ? `waiting for ${callsInFlight.join(', ')}`
          : 'no AWS call was in flight'
      }`,
    );
  }
}

/**
 * How long a record may take: the invocation's remaining time less a margin to answer with
 * the batch's item failures and flush the logs. Records run in parallel, so each gets it.
 */
export function recordDeadlineMs(context: Context | undefined): number | undefined {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (remaining === undefined || !(remaining > 0)) return undefined;
  const margin = Math.min(2_000, Math.max(50, Math.floor(remaining / 10)));
  return Math.max(1, remaining - margin);
}

/** Runs one record's work against its deadline, tracking its AWS calls to name them. */
async function withDeadline<T>(work: () => Promise<T>, deadlineMs: number | undefined) {
  if (deadlineMs === undefined) return trackCalls(work).done;
  // At the deadline the record's remaining AWS calls are abandoned: nothing it does acts late.
  const stop = new AbortController();
  const tracked = trackCalls(work, stop.signal);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new RecordTimeoutError(deadlineMs, tracked.inFlight()));
      stop.abort();
    }, deadlineMs);
  });
  // The abandoned work still settles (with UnitAbortedError); nobody waits for it any more.
  tracked.done.catch(() => undefined);
  try {
    return await Promise.race([tracked.done, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: { eventSource?: string }[] } | null)?.Records;
  return Array.isArray(records) && records.length > 0 && records[0]?.eventSource === 'aws:sqs';
}

function failureSummary(result: EventResult): string {
  if (result.status !== 'handled') return '';
  return result.resources
    .flatMap((r) => [
      ...(r.error ? [r.error] : []),
      ...r.outcomes.filter((o) => o.status === 'failed').map((o) => `${o.policyId}: ${o.error}`),
    ])
    .join('; ');
}

/**
 * Builds the Lambda handler. It takes one EventBridge event (a direct target) or an SQS
 * batch of them (the buffered path) and reports partial batch failures, so one bad record
 * is retried and then dead-lettered alone, never failing its neighbours.
 */
export function createEvaluatorHandler(rampart: Rampart) {
  const { evaluator, audit } = rampart;

  async function evaluate(intake: Intake): Promise<EventResult> {
    const result = await evaluator.process(intake);
    if (needsRetry(result)) {
      throw new EventHandlingError(
        `not fully handled: ${failureSummary(result)}`,
        (result as { eventId?: string }).eventId,
      );
    }
    return result;
  }
  // Duplicate deliveries (EventBridge and SQS are at-least-once) act and notify once.
  const idempotency = idempotencyFor(rampart, evaluate);
  // Parsed and located once: the key and the work come from the same intake.
  const handleOne = async (input: unknown): Promise<EventResult> => {
    const intake = evaluator.intake(input);
    return idempotency ? idempotency.handle(intake) : evaluate(intake);
  };

  async function handleRecord(record: SQSRecord, deadlineMs: number | undefined): Promise<void> {
    try {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch (error) {
        throw new MalformedEventError(
          '(SQS body)',
          `is not JSON: ${errorMessage(error)}`,
          record.messageId,
        );
      }
      await withDeadline(() => handleOne(body), deadlineMs);
    } catch (error) {
      // Logged with its reason here; SQS redelivers it and finally moves it to the DLQ.
      const failure =
        error instanceof Error ? error : new Error(`non-error thrown: ${String(error)}`);
      audit.recordFailed(
        record.messageId,
        {
          name: failure.name,
          // Powertools wraps persistence errors; the cause is what an operator needs.
          message: failure.cause
            ? `${errorMessage(failure)} (cause: ${errorMessage(failure.cause)})`
            : errorMessage(failure),
        },
        (failure as { eventId?: string }).eventId,
      );
      throw failure;
    }
  }

  return async function handler(
    event: unknown,
    context?: Context,
  ): Promise<SQSBatchResponse | EventResult> {
    if (context) idempotency?.registerLambdaContext(context);
    if (isSqsEvent(event)) {
      const deadlineMs = recordDeadlineMs(context);
      const handle = (record: SQSRecord) => handleRecord(record, deadlineMs);
      const options = { ...(context ? { context } : {}), throwOnFullBatchFailure: false };
      // The FIFO buffer (one message group per account): a failed record fails the rest of
      // its group in this batch, so they are retried in order, and other accounts go on.
      if (event.Records.some((r) => r.attributes?.MessageGroupId)) {
        return processPartialResponse(event, handle, new SqsFifoPartialProcessorAsync(), {
          ...options,
          skipGroupOnError: true,
        });
      }
      return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), options);
    }
    return handleOne(event);
  };
}

let defaultHandler: ReturnType<typeof createEvaluatorHandler> | undefined;

/** Lambda entry point: wiring is built once per execution environment. */
export const handler = (event: unknown, context?: Context) => {
  defaultHandler ??= createEvaluatorHandler(createRampart());
  return defaultHandler(event, context);
};
