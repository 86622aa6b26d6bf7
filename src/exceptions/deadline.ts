import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { AwsClients } from '../aws/clients';
import type { ResourceRef, TriggerEvent } from '../domain';
import { MalformedEventError } from '../events/errors';

/** The event an approval deadline (or a "Revert now" click) delivers to the evaluator. */
export const APPROVAL_DEADLINE_DETAIL_TYPE = 'Rampart Approval Deadline';
export const APPROVAL_DEADLINE_SOURCE = 'rampart.approvals';

const deadlineDetailSchema = z.strictObject({
  /** Same id as the notice: one approval per event, policy and resource. */
  approvalId: z.string().min(1),
  policyId: z.string().min(1),
  resource: z.strictObject({
    partition: z.string(),
    account: z.string(),
    region: z.string(),
    type: z.string(),
    id: z.string(),
    arn: z.string(),
  }),
  /** The change awaiting approval, as first seen (its actor stays the one reported). */
  trigger: z.looseObject({
    eventId: z.string(),
    eventName: z.string(),
    eventSource: z.string(),
    eventTime: z.string(),
  }),
  deadline: z.string(),
  /** `deadline`: nobody approved in time; `revert-now`: a human asked for the revert. */
  reason: z.enum(['deadline', 'revert-now']),
  /** Slack user who asked to revert now. */
  requestedBy: z.string().optional(),
});
export interface ApprovalDeadline {
  approvalId: string;
  policyId: string;
  resource: ResourceRef;
  trigger: TriggerEvent;
  deadline: string;
  reason: 'deadline' | 'revert-now';
  requestedBy?: string;
}

export function approvalIdOf(eventId: string, policyId: string, arn: string): string {
  return createHash('sha256').update(`${eventId}\n${policyId}\n${arn}`).digest('hex').slice(0, 24);
}

/** The EventBridge-shaped envelope scheduled for the deadline (and sent by "Revert now"). */
export function approvalDeadlineEvent(deadline: ApprovalDeadline) {
  return {
    version: '0',
    id: `${deadline.approvalId}-${deadline.reason}`,
    'detail-type': APPROVAL_DEADLINE_DETAIL_TYPE,
    source: APPROVAL_DEADLINE_SOURCE,
    account: deadline.resource.account,
    region: deadline.resource.region,
    time: deadline.deadline,
    resources: [deadline.resource.arn],
    detail: deadline,
  };
}

/**
 * Recognises an approval deadline among the non-CloudTrail events the evaluator receives.
 * A malformed one is refused with the field named, never taken as something else.
 */
export function approvalDeadlineOf(
  detailType: string,
  detail: Record<string, unknown>,
  eventId?: string,
): ApprovalDeadline | undefined {
  if (detailType !== APPROVAL_DEADLINE_DETAIL_TYPE) return undefined;
  const parsed = deadlineDetailSchema.safeParse(detail);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MalformedEventError(
      ['detail', ...issue.path.map(String)].join('.'),
      issue.message,
      eventId,
    );
  }
  return parsed.data as unknown as ApprovalDeadline;
}

/** Port: how the engine arranges for a violation awaiting approval to be re-judged later. */
export interface ApprovalDeadlines {
  /** Schedules the deadline; returns when it falls (ISO-8601). */
  schedule(request: {
    approvalId: string;
    policyId: string;
    resource: ResourceRef;
    trigger: TriggerEvent;
    now: number;
  }): Promise<string>;
  /** Drops a pending deadline (approved, or reverted now); absent ones are fine. */
  cancel(approvalId: string, region: string): Promise<void>;
}

export class ApprovalScheduleError extends Error {
  override readonly name = 'ApprovalScheduleError';
  constructor(
    message: string,
    readonly approvalId: string,
  ) {
    super(message);
  }
}

export interface SchedulerDeadlinesOptions {
  /** What the schedule invokes: the evaluator function (or its queue). */
  targetArn: string;
  /** Role EventBridge Scheduler assumes to invoke the target. */
  roleArn: string;
  /** Schedule group; `default` unless the stack creates one. */
  groupName?: string;
  /** Dead-letter queue for deliveries the target refused. */
  deadLetterArn?: string;
  deadlineMinutes: number;
}

/**
 * Approval deadlines as one-time EventBridge Scheduler schedules (`at(...)`) that delete
 * themselves after firing: no polling, no home-made timer.
 */
export class SchedulerDeadlines implements ApprovalDeadlines {
  constructor(
    private readonly clients: AwsClients,
    private readonly options: SchedulerDeadlinesOptions,
  ) {}

  /**
   * Schedules live next to their target (the evaluator), whatever region the resource is
   * in: a schedule invokes targets in its own region.
   */
  private regionFor(resourceRegion: string): string {
    return this.options.targetArn.split(':')[3] || resourceRegion;
  }

  static scheduleName(approvalId: string): string {
    return `rampart-approval-${approvalId}`;
  }

  async schedule(request: Parameters<ApprovalDeadlines['schedule']>[0]): Promise<string> {
    const at = new Date(request.now + this.options.deadlineMinutes * 60_000);
    const deadline = at.toISOString();
    const event = approvalDeadlineEvent({
      approvalId: request.approvalId,
      policyId: request.policyId,
      resource: request.resource,
      trigger: request.trigger,
      deadline,
      reason: 'deadline',
    });
    const scheduler = this.clients.get(SchedulerClient, {
      region: this.regionFor(request.resource.region),
    });
    try {
      await scheduler.send(
        new CreateScheduleCommand({
          Name: SchedulerDeadlines.scheduleName(request.approvalId),
          GroupName: this.options.groupName ?? 'default',
          // at() takes yyyy-mm-ddThh:mm:ss in the given time zone, no milliseconds or zone suffix.
          ScheduleExpression: `at(${deadline.slice(0, 19)})`,
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Description: `Rampart: revert ${request.policyId} on ${request.resource.id} unless an exception is approved`,
          Target: {
            Arn: this.options.targetArn,
            RoleArn: this.options.roleArn,
            Input: JSON.stringify(event),
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
            ...(this.options.deadLetterArn
              ? { DeadLetterConfig: { Arn: this.options.deadLetterArn } }
              : {}),
          },
        }),
      );
    } catch (error) {
      // The same event delivered twice must not fail: the schedule already exists.
      if ((error as Error).name === 'ConflictException') return deadline;
      throw new ApprovalScheduleError(
        `cannot schedule the approval deadline: ${(error as Error).message}`,
        request.approvalId,
      );
    }
    return deadline;
  }

  async cancel(approvalId: string, region: string): Promise<void> {
    try {
      await this.clients.get(SchedulerClient, { region: this.regionFor(region) }).send(
        new DeleteScheduleCommand({
          Name: SchedulerDeadlines.scheduleName(approvalId),
          GroupName: this.options.groupName ?? 'default',
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}

/** IAM actions the deadline scheduler needs (the evaluator creates, the Slack app deletes). */
export const SCHEDULER_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'] as const;
