import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClients } from '../aws/clients';
import type { Catalog } from '../engine/catalog';
import type { ReportContext, Reporter } from '../engine/evaluator';
import { noticeOf, type Notice } from './notice';

/** SNS subjects: ASCII, no line breaks, at most 100 characters. */
export function snsSubject(notice: Notice): string {
  const verb = {
    reverted: 'Reverted',
    approval: 'Approval needed',
    notify: 'Violation',
    failed: 'Remediation failed',
  }[notice.kind];
  const subject = `[Rampart] ${verb}: ${notice.policy.id} on ${notice.resource.id}`;
  return subject.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}

/** The JSON document published: stable field names for email rules and paging integrations. */
export function snsMessage(notice: Notice, context: ReportContext) {
  return {
    schema: 'rampart.notice/1',
    kind: notice.kind,
    noticeId: notice.id,
    policy: notice.policy,
    resource: notice.resource,
    message: notice.message,
    findings: notice.findings,
    changes: notice.changes,
    event: { id: context.trigger.eventId, name: notice.eventName, time: notice.eventTime },
    actor: notice.actor,
    decision: context.decision && {
      action: context.decision.action,
      reason: context.decision.reason,
    },
    outcome: context.outcome && {
      status: context.outcome.status,
      timeToRevertMs: context.outcome.timings.timeToRevertMs,
      error: context.outcome.error,
      approvalDeadline: context.outcome.approvalDeadline,
    },
  };
}

/**
 * Publishes every notice to an SNS topic (email, paging). The SDK's standard retry covers
 * throttling, 5xx and timeouts; a publish that still fails is audited by the engine.
 */
export class SnsReporter implements Reporter {
  readonly name = 'sns';
  private readonly region: string;

  constructor(
    private readonly clients: AwsClients,
    private readonly topicArn: string,
    private readonly catalog: Catalog,
  ) {
    this.region = topicArn.split(':')[3] ?? 'us-east-1';
  }

  async report(context: ReportContext): Promise<void> {
    const notice = noticeOf(context, this.catalog);
    if (!notice) return;
    await this.clients.get(SNSClient, { region: this.region }).send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: snsSubject(notice),
        Message: JSON.stringify(snsMessage(notice, context)),
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: notice.kind },
          severity: { DataType: 'String', StringValue: notice.policy.severity },
        },
      }),
    );
  }
}
