import { Logger } from '@aws-lambda-powertools/logger';
import type { Decision, Outcome, ResourceLocator, ResourceRef, TriggerEvent } from '../domain';

export const AUDIT_KINDS = [
  'skipped',
  'evaluation-error',
  'decision',
  'outcome',
  'report-failed',
  'human-action',
  'not-found',
  'record-failed',
  'config-rule',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** One audit record = one structured JSON log line. */
export interface AuditRecord {
  audit: AuditKind;
  eventId?: string;
  eventName?: string;
  [key: string]: unknown;
}

/**
 * Powertools Logger whose lines can be sent to stderr: the CLI keeps stdout for its own
 * JSON result, while Lambda logs to stdout as usual.
 */
class StreamLogger extends Logger {
  constructor(
    options: ConstructorParameters<typeof Logger>[0],
    private readonly stream?: NodeJS.WritableStream,
  ) {
    super(options);
  }
  protected override printLog(logLevel: number, log: Parameters<Logger['printLog']>[1]): void {
    if (!this.stream) return super.printLog(logLevel, log);
    this.stream.write(`${JSON.stringify(log.getAttributes(), this.getJsonReplacer())}\n`);
  }
}

export function createLogger(
  options: { stream?: NodeJS.WritableStream; logLevel?: string } = {},
): Logger {
  return new StreamLogger(
    {
      serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'rampart',
      ...(options.logLevel ? { logLevel: options.logLevel as 'INFO' } : {}),
    },
    options.stream,
  );
}

/** The audit trail: every skip, decision and outcome, as one JSON line each. */
export class AuditLog {
  private readonly listeners: ((record: AuditRecord) => void)[] = [];

  constructor(readonly logger: Logger = createLogger()) {}

  /** Tests and notifiers can observe the trail without parsing logs. */
  subscribe(listener: (record: AuditRecord) => void): void {
    this.listeners.push(listener);
  }

  private write(message: string, level: 'info' | 'warn' | 'error', record: AuditRecord): void {
    this.logger[level](message, record);
    for (const listener of this.listeners) listener(record);
  }

  skipped(event: { eventId?: string; eventName?: string }, code: string, reason: string): void {
    this.write(`skipped: ${reason}`, 'info', { audit: 'skipped', ...event, code, reason });
  }

  evaluationError(
    trigger: TriggerEvent,
    resource: ResourceRef,
    policyId: string,
    error: string,
  ): void {
    this.write(`evaluation error in ${policyId}`, 'error', {
      audit: 'evaluation-error',
      eventId: trigger.eventId,
      eventName: trigger.eventName,
      policyId,
      resource,
      error,
    });
  }

  /** A notice or report could not be delivered; the outcome it was about stands. */
  reportFailed(
    trigger: TriggerEvent,
    resource: ResourceRef,
    reporter: string,
    error: string,
  ): void {
    this.write(`report failed: ${reporter}`, 'error', {
      audit: 'report-failed',
      eventId: trigger.eventId,
      eventName: trigger.eventName,
      resource,
      reporter,
      error,
    });
  }

  /**
   * What a human did in Slack (exception requested, approved, revoked, revert asked) and
   * every refusal (not an approver, own request, bad scope), with who and on what.
   */
  humanAction(
    action: string,
    fields: { user: string; refused?: string; [key: string]: unknown },
  ): void {
    this.write(
      `human action: ${action}${fields.refused ? ' (refused)' : ''}`,
      fields.refused ? 'warn' : 'info',
      { audit: 'human-action', action, ...fields },
    );
  }

  /** The event named a resource that no longer exists: nothing to judge or revert. */
  notFound(trigger: TriggerEvent, locator: ResourceLocator): void {
    this.write(`not found: ${locator.type} ${locator.id ?? locator.name}`, 'info', {
      audit: 'not-found',
      eventId: trigger.eventId,
      eventName: trigger.eventName,
      locator,
    });
  }

  /**
   * A delivered record could not be handled (malformed, or a failure worth a retry): it is
   * reported as a batch item failure, so SQS retries it and finally dead-letters it.
   */
  recordFailed(
    messageId: string,
    error: { name: string; message: string },
    eventId?: string,
  ): void {
    this.write(`record failed: ${error.message}`, 'error', {
      audit: 'record-failed',
      messageId,
      ...(eventId ? { eventId } : {}),
      errorName: error.name,
      reason: error.message,
    });
  }

  /**
   * One AWS Config rule invocation: what was put (counts by compliance type), or why nothing
   * could be (the invocation fails and AWS retries it, then sends it to the DLQ).
   */
  configRule(fields: {
    ruleName: string;
    account: string;
    region: string;
    trigger: string;
    counts?: Record<string, number>;
    testMode?: boolean;
    error?: string;
  }): void {
    this.write(
      `config rule ${fields.ruleName}: ${fields.error ? `failed: ${fields.error}` : 'evaluated'}`,
      fields.error ? 'error' : 'info',
      { audit: 'config-rule', ...fields },
    );
  }

  decision(trigger: TriggerEvent, decision: Decision): void {
    this.write(`decision: ${decision.action} ${decision.policyId}`, 'info', {
      audit: 'decision',
      eventId: trigger.eventId,
      eventName: trigger.eventName,
      actor: trigger.actor,
      ...decision,
    });
  }

  outcome(trigger: TriggerEvent, resource: ResourceRef, outcome: Outcome): void {
    this.write(
      `outcome: ${outcome.status} ${outcome.policyId}`,
      outcome.status === 'failed' ? 'error' : outcome.status === 'escalated' ? 'warn' : 'info',
      {
        audit: 'outcome',
        eventId: trigger.eventId,
        eventName: trigger.eventName,
        actor: trigger.actor,
        resource,
        ...outcome,
        timeToRevertMs: outcome.timings.timeToRevertMs,
      },
    );
  }
}
