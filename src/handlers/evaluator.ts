import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createRampart, type Rampart } from '../app';
import { needsRetry, type EventResult } from '../engine/evaluator';
import { errorMessage } from '../errors';
import { MalformedEventError } from '../events/errors';
import { idempotencyFor } from '../reliability/wiring';

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

  async function evaluate(input: unknown): Promise<EventResult> {
    const result = await evaluator.handleEvent(input);
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
  const handleOne = idempotency ? (input: unknown) => idempotency.handle(input) : evaluate;

  async function handleRecord(record: SQSRecord): Promise<void> {
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
      await handleOne(body);
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
      const processor = new BatchProcessor(EventType.SQS);
      return processPartialResponse(event, handleRecord, processor, {
        ...(context ? { context } : {}),
        throwOnFullBatchFailure: false,
      });
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
