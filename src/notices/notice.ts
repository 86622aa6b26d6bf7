import type { Actor, ResourceRef } from '../domain';
import { isAwsRegion } from '../domain/identifiers';
import type { Catalog } from '../engine/catalog';
import type { ReportContext } from '../engine/evaluator';
import { approvalIdOf } from '../exceptions/deadline';
import type { RichText, TextPart } from '../slack/mrkdwn';

export const NOTICE_KINDS = ['reverted', 'approval', 'notify', 'failed'] as const;
/** One notice per outcome humans must hear about. */
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** A pending exception request shown on the notice until someone decides it. */
export interface PendingRequestView {
  id: string;
  /** A Slack user (mention) or, for a change awaiting approval, its AWS principal. */
  requester: TextPart;
  justification: string;
  days: number;
  scope: string;
  /** Approvals given so far, when a second, distinct approver is needed (four eyes). */
  approvals?: string[];
}

/**
 * Everything a notice shows, independent of the channel (Slack blocks, SNS JSON, the
 * terminal). Stored with the Slack message so that later updates rebuild it whole.
 */
export interface Notice {
  /** Stable per event, policy and resource: the approval id in mode `approve`. */
  id: string;
  kind: NoticeKind;
  policy: { id: string; title: string; severity: string };
  resource: ResourceRef;
  message: string;
  /** What was wrong, one line per offending element. */
  findings: string[];
  /** What Rampart changed, one line per change. */
  changes: string[];
  eventId: string;
  eventSource: string;
  eventName: string;
  eventTime: string;
  actor?: Actor;
  timeToRevertMs?: number;
  error?: string;
  /** Mode `approve`: when it is reverted unless an exception is approved. */
  deadline?: string;
  /** Buttons are offered while open; a decided approval or a failure closes the notice. */
  open: boolean;
  pendingRequest?: PendingRequestView;
  /** What happened since, oldest first; rendered (and escaped) by each channel. */
  history: RichText[];
}

const KIND_OF_STATUS: Partial<Record<string, NoticeKind>> = {
  reverted: 'reverted',
  'awaiting-approval': 'approval',
  notified: 'notify',
  failed: 'failed',
};

export function noticeIdOf(context: Pick<ReportContext, 'trigger' | 'resource' | 'evaluation'>) {
  return approvalIdOf(context.trigger.eventId, context.evaluation.policyId, context.resource.arn);
}

/**
 * The notice for an outcome, or undefined when there is nothing to tell (compliant, dry
 * run, excepted: those are in the audit trail only).
 */
export function noticeOf(context: ReportContext, catalog: Catalog): Notice | undefined {
  const { outcome, evaluation, trigger, resource } = context;
  const kind = outcome && KIND_OF_STATUS[outcome.status];
  if (!outcome || !kind) return undefined;
  const policy = catalog.policies.get(evaluation.policyId);
  const violation = evaluation.status === 'violation' ? evaluation.violation : undefined;
  return {
    id: noticeIdOf(context),
    kind,
    policy: {
      id: evaluation.policyId,
      title: policy?.title ?? evaluation.policyId,
      severity: policy?.severity ?? 'unknown',
    },
    resource,
    message: violation?.message ?? '',
    findings:
      violation?.elements.map((e) => (e.id ? `${e.id} ${e.description}` : e.description)) ?? [],
    changes: outcome.changes,
    eventId: trigger.eventId,
    eventSource: trigger.eventSource,
    eventName: trigger.eventName,
    eventTime: trigger.eventTime,
    ...(trigger.actor ? { actor: trigger.actor } : {}),
    ...(outcome.timings.timeToRevertMs !== undefined
      ? { timeToRevertMs: outcome.timings.timeToRevertMs }
      : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
    ...(outcome.approvalDeadline ? { deadline: outcome.approvalDeadline } : {}),
    open: kind !== 'failed',
    history: [],
  };
}

/** A link to the resource in the AWS console (the ARN redirect where no better page exists). */
export function consoleUrl(resource: ResourceRef): string {
  const host =
    resource.partition === 'aws-cn'
      ? 'console.amazonaws.cn'
      : resource.partition === 'aws-us-gov'
        ? 'console.amazonaws-us-gov.com'
        : 'console.aws.amazon.com';
  const r = encodeURIComponent(resource.region);
  switch (resource.type) {
    case 'AWS::EC2::SecurityGroup':
      // The region becomes part of a host name: only a real region name may.
      if (!isAwsRegion(resource.region)) {
        return `https://${host}/go/view?arn=${encodeURIComponent(resource.arn)}`;
      }
      return `https://${resource.region}.${host}/ec2/home?region=${r}#SecurityGroup:groupId=${encodeURIComponent(resource.id)}`;
    case 'AWS::IAM::Role':
      return `https://${host}/iam/home#/roles/details/${encodeURIComponent(resource.id)}`;
    default:
      return `https://${host}/go/view?arn=${encodeURIComponent(resource.arn)}`;
  }
}

/** `4.2 s`, `3 min 5 s`: how long the violation stayed open. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}
