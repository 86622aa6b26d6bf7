import type { ResourceRef } from '../domain';

/** A module error that carries the field or exception it is about. */
export class ExceptionError extends Error {
  override readonly name: string = 'ExceptionError';
  constructor(
    message: string,
    /** The field, exception id or request id the problem is about. */
    readonly subject?: string,
  ) {
    super(message);
  }
}

/** A scope that would cover more than one account's resources, or everything. */
export class ExceptionScopeError extends ExceptionError {
  override readonly name = 'ExceptionScopeError';
}

/** Someone tried to approve or revoke who may not. */
export class ExceptionAuthorizationError extends ExceptionError {
  override readonly name = 'ExceptionAuthorizationError';
}

/** The request was already decided, or an active exception already covers the scope. */
export class ExceptionConflictError extends ExceptionError {
  override readonly name = 'ExceptionConflictError';
}

export const EXCEPTION_DURATION_DAYS = [1, 7, 30] as const;
export type ExceptionDurationDays = (typeof EXCEPTION_DURATION_DAYS)[number];

/**
 * What an exception covers, always within one policy and one account: one resource, or
 * every resource of the account carrying a tag (whoever can set the tag can claim it).
 */
export type ExceptionScope =
  { kind: 'resource'; arn: string } | { kind: 'tag'; account: string; key: string; value: string };

/** Who asked: a Slack user, or (mode `approve`) the AWS principal whose change is awaiting approval. */
export type Requester = { slackUserId: string } | { awsPrincipal: string };

export interface ExceptionRecord {
  id: string;
  policyId: string;
  scope: ExceptionScope;
  status: 'active' | 'revoked';
  requester: Requester;
  /** Slack user id of the (last) approver. */
  approver: string;
  /** Every approver, in order, when more than one was needed (four eyes). */
  approvers?: string[];
  justification: string;
  createdAt: string;
  expiresAt: string;
  revokedBy?: string;
  revokedAt?: string;
  /** The notice the exception was granted from, when there is one. */
  noticeId?: string;
}

export const MIN_JUSTIFICATION_LENGTH = 10;
export const MAX_JUSTIFICATION_LENGTH = 1000;
/** `key=value`: AWS allows 128-character keys and 256-character values. */
export const MAX_TAG_SCOPE_LENGTH = 128 + 1 + 256;

/** The account of an ARN (`arn:partition:service:region:account:...`). */
export function accountOfArn(arn: string): string | undefined {
  return arn.split(':')[4] || undefined;
}

/** One line, e.g. `resource arn:aws:ec2:...` or `tag team=data in 123456789012`. */
export function describeScope(scope: ExceptionScope): string {
  return scope.kind === 'resource'
    ? `resource ${scope.arn}`
    : `tag ${scope.key}=${scope.value} in account ${scope.account}`;
}

/** The storage key of a scope; one live exception per policy and scope. */
export function scopeKey(policyId: string, scope: ExceptionScope): string {
  return scope.kind === 'resource'
    ? `exception#${policyId}#arn#${scope.arn}`
    : `exception#${policyId}#tag#${scope.account}#${scope.key}=${scope.value}`;
}

/**
 * Refuses scopes that cover too much: wildcards anywhere, or an account other than the
 * resource's (an exception asked for on one resource never reaches another account).
 */
export function validateScope(scope: ExceptionScope, resource: ResourceRef): ExceptionScope {
  const values = scope.kind === 'resource' ? [scope.arn] : [scope.account, scope.key, scope.value];
  if (values.some((v) => v.trim() === '' || v.includes('*') || v.includes('?'))) {
    throw new ExceptionScopeError(
      `exception scope ${describeScope(scope)}: wildcards and empty values are not allowed; name one resource ARN or one tag key=value`,
      'scope',
    );
  }
  const account = scope.kind === 'resource' ? accountOfArn(scope.arn) : scope.account;
  if (account !== resource.account) {
    throw new ExceptionScopeError(
      `exception scope ${describeScope(scope)}: account ${account ?? '(none)'} is not the resource's account ${resource.account}`,
      'scope',
    );
  }
  return scope;
}

export function validateJustification(text: string | undefined): string {
  const trimmed = (text ?? '').trim();
  if (trimmed.length < MIN_JUSTIFICATION_LENGTH || trimmed.length > MAX_JUSTIFICATION_LENGTH) {
    throw new ExceptionError(
      `justification is required: ${MIN_JUSTIFICATION_LENGTH} to ${MAX_JUSTIFICATION_LENGTH} characters (got ${trimmed.length})`,
      'justification',
    );
  }
  return trimmed;
}

export function parseDurationDays(raw: string | number | undefined): ExceptionDurationDays {
  const days = Number(raw);
  const allowed = EXCEPTION_DURATION_DAYS as readonly number[];
  if (!allowed.includes(days)) {
    throw new ExceptionError(
      `duration ${JSON.stringify(raw)} is not allowed; allowed: ${EXCEPTION_DURATION_DAYS.join(', ')} days`,
      'duration',
    );
  }
  return days as ExceptionDurationDays;
}

/** A Slack requester as a mention; an AWS principal as its ARN (escaped when rendered). */
export function requesterLabel(r: Requester): string | { user: string } {
  return 'slackUserId' in r ? { user: r.slackUserId } : r.awsPrincipal;
}
